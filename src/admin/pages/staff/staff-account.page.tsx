import { z } from 'zod';
import { formatVnDateTime } from '../../../content/vn-time.js';
import type { StaffAccountItem } from '../../../services/staff/list-staff-accounts.js';
import { parseInput } from '../../http/parse-input.js';
import { defineRoute, notFound, page, redirect, type StaffContext } from '../../route.js';
import { chromeOf } from '../../views/chrome.js';
import { Notice, PostForm } from '../../views/components.js';
import { Layout } from '../../views/layout.js';
import { CheckboxField, formCheckbox, FormErrors } from '../schools/form-fields.js';
import { savedNotice } from '../schools/schools.page.js';
import { lastSignInText, placeText, roleLabel } from './staff-labels.js';
import { BAD_UNIT, grantableRoles, PlacementFields, PlacementForm, placementOf, refusalErrors, ROLE_ABOVE_OWN, roleAboveOwn, STAFF_MANAGERS, unitOf, unitOptions, unitStanding, type PlacementValues } from './staff-form.js';

const DeactivateForm = z.object({ confirm: formCheckbox });
const ResetPasswordForm = z.object({ confirm: formCheckbox });

const SAVED = {
  role: 'Đã đổi vai trò, phạm vi. Tài khoản dùng phạm vi mới ngay từ lần bấm tiếp theo.',
  deactivated: 'Đã khoá tài khoản: mọi phiên đăng nhập của tài khoản đã kết thúc, liên kết chat đã được gỡ.',
  reactivated: 'Đã mở khoá tài khoản: người dùng đăng nhập lại bằng mật khẩu hiện có của tài khoản.',
};

type FormState = { values: PlacementValues; errors: Record<string, string> };

async function AccountView(props: { ctx: StaffContext; account: StaffAccountItem; role?: FormState; activeError?: string; passwordError?: string; error?: string }) {
  const { ctx, account: a } = props;
  const base = `/admin/staff/${encodeURIComponent(a.id)}`;
  const own = a.id === ctx.staff.id;
  const units = a.canManage ? await unitOptions(ctx) : [];
  const rv = props.role?.values ?? { role: a.role, unit: unitOf(a), classCode: a.klass?.code ?? '' };
  const re = props.role?.errors ?? {};
  return (
    <Layout title={a.name} chrome={chromeOf(ctx)}>
      <p>
        <a href="/admin/staff">← Danh sách cán bộ</a>
      </p>
      {savedNotice(ctx.query, SAVED)}
      {props.error && <Notice kind="error">{props.error}</Notice>}
      <dl class="facts">
        <dt>E-mail</dt>
        <dd>{a.email}</dd>
        <dt>Vai trò</dt>
        <dd>{roleLabel(a.role)}</dd>
        <dt>Đơn vị</dt>
        <dd>{placeText(a)}</dd>
        <dt>Trạng thái</dt>
        <dd>{a.active ? 'Đang hoạt động' : 'Đã khoá: không đăng nhập được'}</dd>
        <dt>Đăng nhập gần nhất</dt>
        <dd>{lastSignInText(a.lastSignInAt)}</dd>
        <dt>Liên kết chat</dt>
        <dd>{a.chatLinked ? 'Có: nhận thông báo qua Zalo/Messenger' : 'Không'}</dd>
        <dt>Ngày tạo</dt>
        <dd>{formatVnDateTime(a.createdAt)}</dd>
      </dl>

      {own && (
        <p>
          Đây là tài khoản của bạn: bạn không tự đổi vai trò hay tự khoá tài khoản của mình được. Mật khẩu của bạn đổi ở trang{' '}
          <a href="/admin/profile">Tài khoản</a>.
        </p>
      )}
      {!own && !a.canManage && <p>Bạn chỉ xem được tài khoản này.</p>}

      {a.canManage && (
        <section aria-labelledby="change-role">
          <h2 id="change-role">Đổi vai trò, phạm vi</h2>
          <FormErrors errors={re} fields={['role', 'unit', 'classCode']} />
          <PostForm action={`${base}/role`} csrfToken={ctx.csrfToken} class="stack narrow">
            <PlacementFields roles={grantableRoles(ctx)} units={units} values={rv} errors={re} />
            <button type="submit">Lưu vai trò</button>
          </PostForm>
        </section>
      )}

      {a.canManage && (
        <section aria-labelledby="active">
          <h2 id="active">{a.active ? 'Khoá tài khoản' : 'Mở khoá tài khoản'}</h2>
          {props.activeError && <Notice kind="error">{props.activeError}</Notice>}
          {a.active ? (
            <PostForm action={`${base}/deactivate`} csrfToken={ctx.csrfToken} class="stack narrow">
              <p>Tài khoản bị khoá không đăng nhập được; các phiên đang mở kết thúc ngay và liên kết chat bị gỡ. Có thể mở khoá lại sau.</p>
              <CheckboxField name="confirm" label="Tôi muốn khoá tài khoản này" />
              <button type="submit" class="button-danger">
                Khoá tài khoản
              </button>
            </PostForm>
          ) : (
            <PostForm action={`${base}/reactivate`} csrfToken={ctx.csrfToken} class="stack narrow">
              <p>Người dùng đăng nhập lại được bằng mật khẩu hiện có của tài khoản (hoặc đặt lại mật khẩu ở dưới); liên kết chat cần tạo lại từ trang tài khoản của họ.</p>
              <button type="submit">Mở khoá tài khoản</button>
            </PostForm>
          )}
        </section>
      )}

      {a.canManage && (
        <section aria-labelledby="reset-password">
          <h2 id="reset-password">Đặt lại mật khẩu</h2>
          {props.passwordError && <Notice kind="error">{props.passwordError}</Notice>}
          <PostForm action={`${base}/password`} csrfToken={ctx.csrfToken} class="stack narrow">
            <p>
              Hệ thống tạo một mật khẩu ngẫu nhiên mới và chỉ hiện nó một lần; mật khẩu cũ hết hiệu lực và mọi phiên đăng nhập của tài khoản kết thúc ngay.
              Hãy chuyển mật khẩu mới cho người dùng qua kênh an toàn.
            </p>
            <CheckboxField name="confirm" label="Tôi muốn đặt lại mật khẩu của tài khoản này" />
            <button type="submit" class="button-danger">
              Đặt lại mật khẩu
            </button>
          </PostForm>
        </section>
      )}
    </Layout>
  );
}

async function accountOr404(ctx: StaffContext): Promise<StaffAccountItem | null> {
  const out = await ctx.deps.staff.account(ctx.scope, ctx.params.staffId ?? '');
  return out.ok ? out.account : null;
}

/** The page, refusing a change of an account this one may not change (its own, or one above it): 403, nothing changed. */
async function refused(ctx: StaffContext, account: StaffAccountItem, own: string) {
  const error = account.id === ctx.staff.id ? own : 'Bạn không được thay đổi tài khoản này.';
  return page(await AccountView({ ctx, account, error }), { status: 403 });
}
const OWN_ACTIVE = 'Bạn không tự khoá hay mở khoá tài khoản của chính mình được.';
const OWN_ROLE = 'Bạn không tự đổi vai trò của chính mình được.';
const OWN_PASSWORD = 'Bạn không đặt lại mật khẩu của chính mình ở đây được: hãy đổi mật khẩu ở trang “Tài khoản” (cần nhập mật khẩu hiện tại).';

function PasswordResetView(props: { ctx: StaffContext; account: StaffAccountItem; password: string; sessionsEnded: number }) {
  const { ctx, account: a, password } = props;
  return (
    <Layout title="Đã đặt lại mật khẩu" chrome={chromeOf(ctx)}>
      <Notice kind="success">
        <p>
          Đã đặt lại mật khẩu cho {a.name} ({a.email}). Mật khẩu cũ không còn dùng được
          {props.sessionsEnded > 0 ? `; ${props.sessionsEnded} phiên đăng nhập của tài khoản đã kết thúc.` : '.'}
        </p>
        <p>
          Mật khẩu mới: <strong class="code">{password}</strong>
        </p>
        <p class="hint">
          Mật khẩu chỉ hiện một lần (hệ thống chỉ lưu dấu băm): hãy ghi lại rồi chuyển cho người dùng qua kênh an toàn. Sau khi đăng nhập tại /admin/login, họ
          nên tự đổi mật khẩu ở trang “Tài khoản”.
        </p>
        {!a.active && <p>Tài khoản đang bị khoá: người dùng chỉ đăng nhập được sau khi tài khoản được mở khoá.</p>}
      </Notice>
      <p class="actions">
        <a href={`/admin/staff/${encodeURIComponent(a.id)}`}>Xem tài khoản</a>
        <a href="/admin/staff">Danh sách cán bộ</a>
      </p>
    </Layout>
  );
}

/** A new random password for the account, shown on this answer only (never in a URL, a log or a cache), its sessions ended. */
async function resetPassword(ctx: StaffContext) {
  const account = await accountOr404(ctx);
  if (!account) return notFound();
  if (!account.canManage) return refused(ctx, account, OWN_PASSWORD);
  const form = parseInput(ResetPasswordForm, ctx.body);
  if (!form.ok || !form.data.confirm) return page(await AccountView({ ctx, account, passwordError: 'Đánh dấu ô xác nhận rồi bấm “Đặt lại mật khẩu”. Chưa có gì thay đổi.' }), { status: 400 });
  const out = await ctx.deps.staff.resetPassword(ctx.scope, account.id, ctx.now);
  // The password is in this answer only (`no-store`, like every console answer): a reload re-posts and makes another.
  if (out.ok) return page(<PasswordResetView ctx={ctx} account={account} password={out.password} sessionsEnded={out.sessionsEnded} />);
  if (out.reason === 'not_found') return notFound();
  return refused(ctx, account, OWN_PASSWORD);
}

/** The same page after a deactivation or reactivation (a POST: the account's id is checked in the service too). */
async function setActive(ctx: StaffContext, active: boolean) {
  const account = await accountOr404(ctx);
  if (!account) return notFound();
  if (!account.canManage) return refused(ctx, account, OWN_ACTIVE);
  if (!active) {
    const form = parseInput(DeactivateForm, ctx.body);
    if (!form.ok || !form.data.confirm) return page(await AccountView({ ctx, account, activeError: 'Đánh dấu ô xác nhận rồi bấm “Khoá tài khoản”. Chưa có gì thay đổi.' }), { status: 400 });
  }
  const out = await ctx.deps.staff.setActive(ctx.scope, { staffId: account.id, active }, ctx.now);
  if (out.ok) return redirect(`/admin/staff/${encodeURIComponent(account.id)}?saved=${active ? 'reactivated' : 'deactivated'}`);
  if (out.reason === 'not_found') return notFound();
  return refused(ctx, account, OWN_ACTIVE);
}

/** `/admin/staff/:staffId`: one account; its role and places changed, it is deactivated or reactivated, its password reset, within scope. */
export const staffAccountRoutes = [
  defineRoute({
    method: 'GET',
    path: '/admin/staff/:staffId',
    access: STAFF_MANAGERS,
    async handler(ctx) {
      const account = await accountOr404(ctx);
      return account ? page(await AccountView({ ctx, account })) : notFound();
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/admin/staff/:staffId/role',
    access: STAFF_MANAGERS,
    async handler(ctx) {
      const account = await accountOr404(ctx);
      if (!account) return notFound();
      if (!account.canManage) return refused(ctx, account, OWN_ROLE);
      const form = parseInput(PlacementForm, ctx.body);
      if (!form.ok) return page(await AccountView({ ctx, account, role: { values: {}, errors: form.errors } }), { status: 400 });
      const values = form.data;
      const standing = unitStanding(values.unit, await unitOptions(ctx));
      if (standing === 'outside') return notFound();
      if (standing === 'bad') return page(await AccountView({ ctx, account, role: { values, errors: BAD_UNIT } }), { status: 400 });
      if (roleAboveOwn(ctx, values.role)) return page(await AccountView({ ctx, account, role: { values, errors: ROLE_ABOVE_OWN } }), { status: 403 });
      const placed = placementOf(values);
      if (!placed.ok) return page(await AccountView({ ctx, account, role: { values, errors: placed.errors } }), { status: 400 });
      const out = await ctx.deps.staff.changeRole(ctx.scope, { ...placed.req, staffId: account.id }, ctx.now);
      if (out.ok) return redirect(`/admin/staff/${encodeURIComponent(account.id)}?saved=role`);
      if (out.reason === 'not_found') return notFound();
      if (out.reason === 'own_account') return refused(ctx, account, OWN_ROLE);
      return page(await AccountView({ ctx, account, role: { values, errors: refusalErrors(out.reason, values.role) } }), { status: 400 });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/admin/staff/:staffId/deactivate',
    access: STAFF_MANAGERS,
    handler: (ctx) => setActive(ctx, false),
  }),
  defineRoute({
    method: 'POST',
    path: '/admin/staff/:staffId/reactivate',
    access: STAFF_MANAGERS,
    handler: (ctx) => setActive(ctx, true),
  }),
  defineRoute({
    method: 'POST',
    path: '/admin/staff/:staffId/password',
    access: STAFF_MANAGERS,
    handler: resetPassword,
  }),
];
