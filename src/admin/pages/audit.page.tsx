import { z } from 'zod';
import { formatVnDateTime } from '../../content/vn-time.js';
import { AUDIT_ACTION_LABELS, AUDIT_ACTIONS, isAuditAction } from '../../services/audit/audit-actions.js';
import type { AuditPage } from '../../services/audit/list-audit.js';
import { parseInput } from '../http/parse-input.js';
import { defineRoute, page, type StaffContext } from '../route.js';
import { chromeOf } from '../views/chrome.js';
import { DataTable, Notice } from '../views/components.js';
import { Layout } from '../views/layout.js';

const QuerySchema = z.object({
  action: z
    .string()
    .max(40)
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || isAuditAction(v), 'Hành động không có trong danh sách.'),
  before: z.coerce.number('Vị trí trang không hợp lệ.').int('Vị trí trang không hợp lệ.').positive('Vị trí trang không hợp lệ.').max(2 ** 31 - 1, 'Vị trí trang không hợp lệ.').optional(),
});

function AuditView(props: { ctx: StaffContext; result: AuditPage | null; action: string | undefined; errors?: Record<string, string> }) {
  const { ctx, result, action } = props;
  const office = ctx.scope.schoolIds === 'all' ? 'toàn hệ thống' : 'các trường và cán bộ của phòng giáo dục của bạn';
  return (
    <Layout title="Nhật ký hoạt động" chrome={chromeOf(ctx)}>
      <p>Ghi lại đăng nhập, đổi vai trò, xem tin báo, xuất dữ liệu và gửi thông báo: {office}. Nhật ký không chứa nội dung tin báo hay thông tin cá nhân.</p>
      <form method="get" action="/admin/audit" class="filters">
        <div class="field">
          <label for="f-action">Hành động</label>
          <select id="f-action" name="action">
            <option value="">Tất cả</option>
            {AUDIT_ACTIONS.map((a) => (
              <option value={a} selected={a === action}>
                {AUDIT_ACTION_LABELS[a]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Lọc</button>
      </form>
      {props.errors && <Notice kind="error">{Object.values(props.errors).join(' ')}</Notice>}
      {result && result.entries.length === 0 && <p>Chưa có mục nào.</p>}
      {result && result.entries.length > 0 && (
        <DataTable caption="Các hoạt động, mới nhất trước" head={['Thời gian', 'Người thực hiện', 'Hành động', 'Đối tượng', 'Chi tiết']}>
          {result.entries.map((e) => (
            <tr>
              <td>{formatVnDateTime(e.at)}</td>
              <td>{e.staffName ?? (e.staffId ? 'Tài khoản đã xoá' : 'Không rõ tài khoản')}</td>
              <td>{isAuditAction(e.action) ? AUDIT_ACTION_LABELS[e.action] : e.action}</td>
              <td>{e.targetType ? `${e.targetType} ${(e.targetId ?? '').slice(0, 8)}` : ''}</td>
              <td>
                {Object.entries(e.detail ?? {})
                  .map(([k, v]) => `${k}: ${String(v)}`)
                  .join(' · ')}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {result?.nextBefore && (
        <p>
          <a href={`/admin/audit?${new URLSearchParams({ ...(action ? { action } : {}), before: String(result.nextBefore) }).toString()}`}>Xem các mục cũ hơn</a>
        </p>
      )}
    </Layout>
  );
}

/** `/admin/audit`: the audit log, for admins (an office admin: their office's entries). */
export const auditRoutes = [
  defineRoute({
    method: 'GET',
    path: '/admin/audit',
    access: ['admin'],
    nav: { href: '/admin/audit', label: 'Nhật ký', description: 'ai đã đăng nhập, đổi vai trò, xem tin báo, xuất dữ liệu', order: 800 },
    async handler(ctx) {
      const q = parseInput(QuerySchema, ctx.query);
      if (!q.ok) return page(<AuditView ctx={ctx} result={null} action={undefined} errors={q.errors} />, { status: 400 });
      const r = await ctx.deps.audit.list(ctx.scope, { ...(q.data.action ? { action: q.data.action } : {}), ...(q.data.before ? { before: q.data.before } : {}) });
      if (!r.ok) return page(<AuditView ctx={ctx} result={null} action={undefined} />, { status: 403 });
      return page(<AuditView ctx={ctx} result={r.page} action={q.data.action} />);
    },
  }),
];
