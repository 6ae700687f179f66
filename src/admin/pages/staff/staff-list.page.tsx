import { z } from 'zod';
import { AppError } from '../../../errors.js';
import type { StaffAccountItem } from '../../../services/staff/list-staff-accounts.js';
import { parseInput } from '../../http/parse-input.js';
import { defineRoute, notFound, page, type StaffContext } from '../../route.js';
import { chromeOf } from '../../views/chrome.js';
import { DataTable, Notice, PostForm, TextField } from '../../views/components.js';
import { Layout } from '../../views/layout.js';
import { FormErrors, formText } from '../schools/form-fields.js';
import { lastSignInText, placeText, roleLabel } from './staff-labels.js';
import { BAD_UNIT, grantableRoles, PlacementFields, PlacementForm, placementOf, refusalErrors, ROLE_ABOVE_OWN, roleAboveOwn, STAFF_MANAGERS, unitOptions, unitStanding, type PlacementValues } from './staff-form.js';

const ListQuery = z.object({ page: z.string('Số trang không hợp lệ.').regex(/^[1-9]\d{0,5}$/, 'Số trang không hợp lệ.').optional() });
const NewAccountForm = PlacementForm.extend({ email: formText(254), name: formText(1000) });
type NewAccountValues = PlacementValues & Partial<Record<'email' | 'name', string>>;

function reachText(ctx: StaffContext): string {
  if (ctx.scope.role === 'school_admin') return 'Các tài khoản cán bộ của trường bạn: ban giám hiệu, giáo viên, cán bộ tiếp nhận tin báo.';
  if (ctx.scope.schoolIds === 'all') return 'Mọi tài khoản cán bộ của hệ thống.';
  return 'Các tài khoản cán bộ của phòng/sở giáo dục của bạn và của các trường trực thuộc.';
}

function StaffListView(props: { ctx: StaffContext; accounts: StaffAccountItem[]; total: number; page: number; pages: number; error?: string }) {
  const { ctx, accounts, total, page: current, pages } = props;
  const pageLink = (n: number) => `/admin/staff?page=${n}`;
  return (
    <Layout title="Cán bộ" chrome={chromeOf(ctx)}>
      <p>{reachText(ctx)} Tài khoản bị khoá không đăng nhập được.</p>
      {props.error && <Notice kind="error">{props.error}</Notice>}
      <p>
        <a class="button" href="/admin/staff/new">
          Thêm tài khoản
        </a>
      </p>
      {accounts.length === 0 ? (
        <p>Chưa có tài khoản nào trong phạm vi của bạn.</p>
      ) : (
        <DataTable
          caption={pages > 1 ? `Tài khoản cán bộ (${total}), trang ${current}/${pages}` : `Tài khoản cán bộ (${total})`}
          head={['Họ tên', 'E-mail', 'Vai trò', 'Đơn vị', 'Đăng nhập gần nhất', 'Liên kết chat', 'Trạng thái']}
        >
          {accounts.map((a) => (
            <tr>
              <td>
                <a href={`/admin/staff/${encodeURIComponent(a.id)}`}>{a.name}</a>
                {a.id === ctx.staff.id && ' (bạn)'}
              </td>
              <td>{a.email}</td>
              <td>{roleLabel(a.role)}</td>
              <td>{placeText(a)}</td>
              <td>{lastSignInText(a.lastSignInAt)}</td>
              <td>{a.chatLinked ? 'Có' : 'Không'}</td>
              <td>{a.active ? 'Đang hoạt động' : <span class="tag tag-warn">Đã khoá</span>}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {pages > 1 && (
        <nav aria-label="Các trang danh sách" class="actions">
          {current > 1 && <a href={pageLink(current - 1)}>← Trang trước</a>}
          {current < pages && <a href={pageLink(current + 1)}>Trang sau →</a>}
        </nav>
      )}
    </Layout>
  );
}

async function NewAccountView(props: { ctx: StaffContext; values?: NewAccountValues; errors?: Record<string, string> }) {
  const { ctx, values = {}, errors = {} } = props;
  const units = await unitOptions(ctx);
  return (
    <Layout title="Thêm tài khoản cán bộ" chrome={chromeOf(ctx)}>
      <p>
        <a href="/admin/staff">← Danh sách cán bộ</a>
      </p>
      <p>Hệ thống tạo một mật khẩu ngẫu nhiên và chỉ hiện nó một lần, ngay sau khi tạo: hãy chuyển cho người dùng qua kênh an toàn.</p>
      <FormErrors errors={errors} fields={['email', 'name', 'role', 'unit', 'classCode']} />
      <PostForm action="/admin/staff" csrfToken={ctx.csrfToken} class="stack narrow">
        <TextField name="name" label="Họ tên" value={values.name} error={errors.name} maxLength={120} autocomplete="off" required />
        <TextField name="email" label="E-mail" type="email" value={values.email} error={errors.email} hint="Dùng để đăng nhập." maxLength={254} autocomplete="off" required />
        <PlacementFields roles={grantableRoles(ctx)} units={units} values={values} errors={errors} />
        <button type="submit">Tạo tài khoản</button>
      </PostForm>
    </Layout>
  );
}

function CreatedView(props: { ctx: StaffContext; account: { id: string; name: string; email: string; role: string }; password: string }) {
  const { ctx, account, password } = props;
  return (
    <Layout title="Đã tạo tài khoản" chrome={chromeOf(ctx)}>
      <Notice kind="success">
        <p>
          Đã tạo tài khoản {roleLabel(account.role)} cho {account.name} ({account.email}).
        </p>
        <p>
          Mật khẩu: <strong class="code">{password}</strong>
        </p>
        <p class="hint">Mật khẩu chỉ hiện một lần (hệ thống chỉ lưu dấu băm): hãy ghi lại rồi chuyển cho người dùng. Họ đăng nhập tại /admin/login.</p>
      </Notice>
      <p class="actions">
        <a href={`/admin/staff/${encodeURIComponent(account.id)}`}>Xem tài khoản</a>
        <a href="/admin/staff">Danh sách cán bộ</a>
      </p>
    </Layout>
  );
}

/** `/admin/staff`: the accounts an admin or school admin reaches; `/admin/staff/new` and `POST /admin/staff` create one. */
export const staffListRoutes = [
  defineRoute({
    method: 'GET',
    path: '/admin/staff',
    access: STAFF_MANAGERS,
    nav: { href: '/admin/staff', label: 'Cán bộ', description: 'tài khoản cán bộ: thêm, đổi vai trò, khoá', order: 850 },
    async handler(ctx) {
      const q = parseInput(ListQuery, ctx.query);
      const wanted = q.ok && q.data.page ? Number(q.data.page) : 1;
      const out = await ctx.deps.staff.list(ctx.scope, wanted);
      if (!out.ok) throw new AppError('forbidden', { message: 'staff list refused for this account' });
      const view = <StaffListView ctx={ctx} accounts={out.accounts} total={out.total} page={out.page} pages={out.pages} {...(q.ok ? {} : { error: Object.values(q.errors).join(' ') })} />;
      return page(view, q.ok ? {} : { status: 400 });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/admin/staff/new',
    access: STAFF_MANAGERS,
    handler: async (ctx) => page(await NewAccountView({ ctx })),
  }),
  defineRoute({
    method: 'POST',
    path: '/admin/staff',
    access: STAFF_MANAGERS,
    async handler(ctx) {
      const form = parseInput(NewAccountForm, ctx.body);
      if (!form.ok) return page(await NewAccountView({ ctx, errors: form.errors }), { status: 400 });
      const values: NewAccountValues = form.data;
      const standing = unitStanding(values.unit, await unitOptions(ctx));
      if (standing === 'outside') return notFound();
      if (standing === 'bad') return page(await NewAccountView({ ctx, values, errors: BAD_UNIT }), { status: 400 });
      if (roleAboveOwn(ctx, values.role)) return page(await NewAccountView({ ctx, values, errors: ROLE_ABOVE_OWN }), { status: 403 });
      const placed = placementOf(values);
      if (!placed.ok) return page(await NewAccountView({ ctx, values, errors: placed.errors }), { status: 400 });
      const out = await ctx.deps.staff.createAccount(ctx.scope, { ...placed.req, email: values.email ?? '', name: values.name ?? '' }, ctx.now);
      // The password is in this answer only (never stored, never cached): a reload re-posts and is told the e-mail is taken.
      if (out.ok) return page(<CreatedView ctx={ctx} account={out.account} password={out.password} />);
      return page(await NewAccountView({ ctx, values, errors: refusalErrors(out.reason, values.role) }), { status: 400 });
    },
  }),
];
