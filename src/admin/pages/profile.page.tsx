import { z } from 'zod';
import { formatVnDateTime } from '../../content/vn-time.js';
import { MIN_PASSWORD_LENGTH } from '../../services/staff/account-password.js';
import { MAX_PASSWORD_LENGTH } from '../../services/staff/change-own-password.js';
import { parseInput } from '../http/parse-input.js';
import { ANY_STAFF, defineRoute, page, redirect, type Reply, type StaffContext } from '../route.js';
import { chromeOf } from '../views/chrome.js';
import { Notice, PostForm, TextField } from '../views/components.js';
import { Layout } from '../views/layout.js';
import { ROLE_LABELS } from '../views/role-labels.js';
import { scopeInWords } from '../views/scope-words.js';

type LinkCode = { code: string; expiresAt: Date } | { failed: true };

/** The password form's problems: one per field, and `''` for the form as a whole. */
type PasswordErrors = Record<string, string>;

const TOO_SHORT = `Mật khẩu mới cần ít nhất ${MIN_PASSWORD_LENGTH} ký tự.`;
const TOO_LONG = `Mật khẩu mới tối đa ${MAX_PASSWORD_LENGTH} ký tự.`;
const SAME = 'Mật khẩu mới cần khác mật khẩu hiện tại.';

const ChangePasswordForm = z
  .object({
    currentPassword: z.string('Vui lòng nhập mật khẩu hiện tại.').min(1, 'Vui lòng nhập mật khẩu hiện tại.').max(1000, 'Mật khẩu quá dài.'),
    newPassword: z.string('Vui lòng nhập mật khẩu mới.').min(1, 'Vui lòng nhập mật khẩu mới.').min(MIN_PASSWORD_LENGTH, TOO_SHORT).max(MAX_PASSWORD_LENGTH, TOO_LONG),
    newPasswordAgain: z.string('Vui lòng nhập lại mật khẩu mới.').min(1, 'Vui lòng nhập lại mật khẩu mới.').max(1000, 'Mật khẩu quá dài.'),
  })
  .refine((f) => f.newPassword === f.newPasswordAgain, { path: ['newPasswordAgain'], message: 'Hai lần nhập mật khẩu mới chưa khớp nhau.' })
  .refine((f) => f.newPassword !== f.currentPassword, { path: ['newPassword'], message: SAME });

const SAVED_PASSWORD = 'Đã đổi mật khẩu. Các phiên đăng nhập khác của tài khoản (trên máy khác, trình duyệt khác) đã kết thúc; phiên này vẫn tiếp tục.';

/** "Đổi mật khẩu": the values typed are never sent back (each answer shows empty fields). */
function PasswordForm(props: { ctx: StaffContext; errors?: PasswordErrors; notice?: string }) {
  const errors = props.errors ?? {};
  const formError = errors[''];
  return (
    <section aria-labelledby="change-password">
      <h2 id="change-password">Đổi mật khẩu</h2>
      <p>
        Mật khẩu mới cần từ {MIN_PASSWORD_LENGTH} đến {MAX_PASSWORD_LENGTH} ký tự; nên dùng một cụm nhiều từ dễ nhớ với bạn nhưng khó đoán với người khác.
        Sau khi đổi, các phiên đăng nhập khác của tài khoản kết thúc.
      </p>
      {props.notice && <Notice kind="success">{props.notice}</Notice>}
      {formError && <Notice kind="error">{formError}</Notice>}
      {Object.keys(errors).some((k) => k !== '') && <Notice kind="error">Chưa đổi được mật khẩu: vui lòng sửa các mục được đánh dấu.</Notice>}
      <PostForm action="/admin/profile/password" csrfToken={props.ctx.csrfToken} class="stack narrow">
        <TextField name="currentPassword" label="Mật khẩu hiện tại" type="password" error={errors.currentPassword} autocomplete="current-password" required maxLength={1000} />
        <TextField
          name="newPassword"
          label="Mật khẩu mới"
          type="password"
          error={errors.newPassword}
          hint={`Từ ${MIN_PASSWORD_LENGTH} đến ${MAX_PASSWORD_LENGTH} ký tự.`}
          autocomplete="new-password"
          required
          maxLength={MAX_PASSWORD_LENGTH}
        />
        <TextField name="newPasswordAgain" label="Nhập lại mật khẩu mới" type="password" error={errors.newPasswordAgain} autocomplete="new-password" required maxLength={MAX_PASSWORD_LENGTH} />
        <button type="submit">Đổi mật khẩu</button>
      </PostForm>
    </section>
  );
}

async function ProfileBody(ctx: StaffContext, linkCode?: LinkCode, password: { errors?: PasswordErrors } = {}) {
  const places = await ctx.deps.staff.places(ctx.session);
  return (
    <Layout title="Tài khoản của tôi" chrome={chromeOf(ctx)}>
      <dl class="facts">
        <dt>Họ tên</dt>
        <dd>{ctx.staff.name}</dd>
        <dt>E-mail</dt>
        <dd>{ctx.staff.email}</dd>
        <dt>Vai trò</dt>
        <dd>{ROLE_LABELS[ctx.staff.role]}</dd>
        <dt>Phạm vi</dt>
        <dd>{scopeInWords(places)}</dd>
      </dl>
      <h2>Nhận thông báo qua Zalo hoặc Messenger</h2>
      <p>
        Liên kết chat của bạn để nhận tin báo khẩn và yêu cầu duyệt thông báo ngay trong Zalo hoặc Messenger. Mã dùng một lần, có hiệu lực 24 giờ; tạo
        mã mới thì mã cũ hết hiệu lực.
      </p>
      {linkCode && 'code' in linkCode && (
        <Notice kind="success">
          <p>
            Mã liên kết của bạn: <strong class="code">{linkCode.code}</strong>
          </p>
          <p>
            Gửi <strong class="code">NV {linkCode.code.replace(/^NV-/, '')}</strong> cho trang Zalo/Messenger của chương trình, từ tài khoản chat muốn nhận
            thông báo.
          </p>
          <p class="hint">Mã chỉ hiện một lần, hết hạn lúc {formatVnDateTime(linkCode.expiresAt)} (giờ Việt Nam).</p>
        </Notice>
      )}
      {linkCode && 'failed' in linkCode && <Notice kind="error">Chưa tạo được mã liên kết. Bạn vui lòng thử lại.</Notice>}
      <PostForm action="/admin/profile/link-code" csrfToken={ctx.csrfToken}>
        <button type="submit">Tạo mã liên kết chat</button>
      </PostForm>
      <PasswordForm ctx={ctx} {...(password.errors ? { errors: password.errors } : {})} {...(ctx.query.saved === 'password' ? { notice: SAVED_PASSWORD } : {})} />
    </Layout>
  );
}

/**
 * Changes the signed-in account's password: the current one is checked like a sign-in (and counts against the
 * sign-in limits when wrong); every other session ends, this one stays.
 */
async function changePassword(ctx: StaffContext): Promise<Reply> {
  const bad = async (errors: PasswordErrors, status = 400, headers: Record<string, string> = {}) => page(await ProfileBody(ctx, undefined, { errors }), { status, headers });
  const form = parseInput(ChangePasswordForm, ctx.body);
  if (!form.ok) return bad(form.errors);
  const out = await ctx.deps.staff.changeOwnPassword(ctx.session, { currentPassword: form.data.currentPassword, newPassword: form.data.newPassword, clientAddress: ctx.clientAddress }, ctx.now);
  if (out.ok) return redirect('/admin/profile?saved=password#change-password');
  switch (out.reason) {
    case 'throttled': {
      const minutes = Math.ceil(out.retryAfterSeconds / 60);
      return bad({ '': `Bạn đã nhập sai mật khẩu quá nhiều lần. Vui lòng thử lại sau ${minutes} phút. Chưa có gì thay đổi.` }, 429, { 'Retry-After': String(out.retryAfterSeconds) });
    }
    case 'wrong_password':
      return bad({ currentPassword: 'Mật khẩu hiện tại không đúng. Chưa có gì thay đổi.' });
    case 'too_short':
      return bad({ newPassword: TOO_SHORT });
    case 'too_long':
      return bad({ newPassword: TOO_LONG });
    case 'same_as_current':
      return bad({ newPassword: SAME });
    case 'changed_meanwhile':
    case 'not_found':
      return bad({ '': 'Tài khoản vừa được thay đổi ở nơi khác (mật khẩu được đặt lại, hoặc tài khoản bị khoá). Chưa có gì thay đổi: bạn hãy tải lại trang rồi thử lại.' }, 409);
  }
}

/** `/admin/profile`: the account, its scope in words, a chat link code shown once, and the account's own password changed. */
export const profileRoutes = [
  defineRoute({
    method: 'GET',
    path: '/admin/profile',
    access: ANY_STAFF,
    nav: { href: '/admin/profile', label: 'Tài khoản', description: 'thông tin tài khoản, liên kết chat để nhận thông báo', order: 900 },
    handler: async (ctx) => page(await ProfileBody(ctx)),
  }),
  defineRoute({
    method: 'POST',
    path: '/admin/profile/link-code',
    access: ANY_STAFF,
    async handler(ctx) {
      const out = await ctx.deps.staff.createLinkCode(ctx.session, ctx.now);
      // The code is in this answer only (never stored, never cached): a reload asks for a new one.
      return page(await ProfileBody(ctx, out.ok ? { code: out.code, expiresAt: out.expiresAt } : { failed: true }));
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/admin/profile/password',
    access: ANY_STAFF,
    handler: changePassword,
  }),
];
