import { formatVnDateTime } from '../../content/vn-time.js';
import { ANY_STAFF, defineRoute, page, type StaffContext } from '../route.js';
import { chromeOf } from '../views/chrome.js';
import { Notice, PostForm } from '../views/components.js';
import { Layout } from '../views/layout.js';
import { ROLE_LABELS } from '../views/role-labels.js';
import { scopeInWords } from '../views/scope-words.js';

type LinkCode = { code: string; expiresAt: Date } | { failed: true };

async function ProfileBody(ctx: StaffContext, linkCode?: LinkCode) {
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
    </Layout>
  );
}

/** `/admin/profile`: the account, its scope in words, and a chat link code shown once. */
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
];
