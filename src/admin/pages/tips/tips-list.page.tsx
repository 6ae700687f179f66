import { z } from 'zod';
import { TIP_CATEGORIES, TIP_STATUSES } from '../../../content/tip-categories.js';
import type { TipInboxFilter, TipInboxItem, TipInboxPage } from '../../../services/tips/console-tip-types.js';
import { parseInput } from '../../http/parse-input.js';
import { defineRoute, page, type StaffContext } from '../../route.js';
import { chromeOf } from '../../views/chrome.js';
import { DataTable, Notice } from '../../views/components.js';
import { Layout } from '../../views/layout.js';
import { SelectField } from './fields.js';
import { categoryLabel, formatTipHour, outcomeLabel, statusLabel, STATUS_LABELS } from './tip-labels.js';

/** Who works in the tips inbox: tip handlers and admins (README "Anonymous tips": the tip API admits the same). */
export const TIP_ROLES = ['admin', 'tip_handler'] as const;

const blank = (v: unknown) => (v === '' ? undefined : v);
const QuerySchema = z.object({
  status: z.preprocess(blank, z.enum(['open', 'all', ...TIP_STATUSES], 'Trạng thái không có trong danh sách.').optional()),
  urgency: z.preprocess(blank, z.enum(['urgent', 'normal'], 'Mức khẩn cấp không có trong danh sách.').optional()),
  category: z.preprocess(blank, z.enum(TIP_CATEGORIES, 'Lĩnh vực không có trong danh sách.').optional()),
  school: z.preprocess(blank, z.string('Trường không hợp lệ.').max(64, 'Trường không hợp lệ.').regex(/^[A-Za-z0-9-]+$/, 'Trường không hợp lệ.').optional()),
  before: z.preprocess(blank, z.string('Vị trí trang không hợp lệ.').max(100, 'Vị trí trang không hợp lệ.').regex(/^\d{1,15}\.[0-9A-Za-z-]{1,64}$/, 'Vị trí trang không hợp lệ.').optional()),
});

type Query = z.infer<typeof QuerySchema>;

function TipRows(props: { tips: TipInboxItem[] }) {
  return (
    <>
      {props.tips.map((t) => (
        <tr class={t.urgent && !t.acknowledgedAt && t.status !== 'closed' ? 'tip-urgent' : undefined}>
          <td>
            <a href={`/admin/tips/${t.id}`} class="code">
              {t.publicCode}
            </a>
          </td>
          <td>{t.urgent ? (t.acknowledgedAt ? 'Khẩn cấp (đã xác nhận)' : 'Khẩn cấp, chờ xác nhận') : 'Thường'}</td>
          <td>{categoryLabel(t.category)}</td>
          <td>{t.schoolName ?? (t.schoolId ? 'Trường không còn trong hệ thống' : 'Chưa rõ trường')}</td>
          <td>{t.status === 'closed' && t.outcome ? `${statusLabel(t.status)}: ${outcomeLabel(t.outcome)}` : statusLabel(t.status)}</td>
          <td>{formatTipHour(t.createdAt)}</td>
        </tr>
      ))}
    </>
  );
}

const HEAD = ['Mã tin báo', 'Mức độ', 'Lĩnh vực', 'Trường', 'Trạng thái', 'Nhận lúc'];

async function InboxView(props: { ctx: StaffContext; query: Query | null; result: TipInboxPage | null; errors?: Record<string, string> }) {
  const { ctx, query, result } = props;
  const schools = await ctx.deps.tipInbox.schools(ctx.scope);
  const unassigned = ctx.deps.tipInbox.seesUnassigned(ctx.scope);
  const schoolOptions = [
    { value: '', label: 'Mọi trường trong phạm vi' },
    ...(unassigned ? [{ value: 'none', label: 'Tin báo chưa rõ trường' }] : []),
    ...schools.map((s) => ({ value: s.id, label: s.name })),
  ];
  const filterParams = (extra: Record<string, string>) =>
    new URLSearchParams({
      ...(query?.status ? { status: query.status } : {}),
      ...(query?.urgency ? { urgency: query.urgency } : {}),
      ...(query?.category ? { category: query.category } : {}),
      ...(query?.school ? { school: query.school } : {}),
      ...extra,
    }).toString();
  return (
    <Layout title="Hộp tin báo" chrome={chromeOf(ctx)}>
      <p>
        Tin báo ẩn danh trong phạm vi của bạn. Danh sách chỉ có mã, lĩnh vực, trường và giờ nhận (làm tròn theo giờ); nội dung chỉ hiện khi mở từng tin,
        và mỗi lần mở đều được ghi vào nhật ký. Không có thông tin nào cho biết ai đã gửi tin.
      </p>
      <form method="get" action="/admin/tips" class="filters">
        <SelectField
          name="status"
          label="Trạng thái"
          value={query?.status ?? 'open'}
          error={props.errors?.status}
          options={[{ value: 'open', label: 'Đang mở (chưa đóng)' }, { value: 'all', label: 'Tất cả' }, ...TIP_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))]}
        />
        <SelectField
          name="urgency"
          label="Mức độ"
          value={query?.urgency ?? ''}
          error={props.errors?.urgency}
          options={[
            { value: '', label: 'Mọi mức độ' },
            { value: 'urgent', label: 'Khẩn cấp' },
            { value: 'normal', label: 'Thường' },
          ]}
        />
        <SelectField
          name="category"
          label="Lĩnh vực"
          value={query?.category ?? ''}
          error={props.errors?.category}
          options={[{ value: '', label: 'Mọi lĩnh vực' }, ...TIP_CATEGORIES.map((c) => ({ value: c, label: categoryLabel(c) }))]}
        />
        <SelectField name="school" label="Trường" value={query?.school ?? ''} error={props.errors?.school} options={schoolOptions} />
        <button type="submit">Lọc</button>
      </form>
      {props.errors && <Notice kind="error">Bộ lọc chưa đúng: {Object.values(props.errors).join(' ')}</Notice>}
      {result?.schoolOutOfScope && <Notice kind="error">Trường đã chọn không thuộc phạm vi của bạn.</Notice>}
      {result && result.waitingUrgent.length > 0 && (
        <>
          <h2>Tin báo khẩn cấp chờ xác nhận</h2>
          <Notice kind="warning">
            Có {result.waitingUrgent.length} tin báo khẩn cấp chưa ai xác nhận. Mở tin, xem nội dung và bấm “Đã nhận tin khẩn” để dừng nhắc.
          </Notice>
          <DataTable caption="Tin báo khẩn cấp chưa được xác nhận, mới nhất trước" head={HEAD}>
            <TipRows tips={result.waitingUrgent} />
          </DataTable>
        </>
      )}
      {result && (
        <>
          <h2>Các tin báo</h2>
          {result.tips.length === 0 ? (
            <p>Không có tin báo nào phù hợp với bộ lọc.</p>
          ) : (
            <DataTable caption="Tin báo theo bộ lọc, mới nhất trước" head={HEAD}>
              <TipRows tips={result.tips} />
            </DataTable>
          )}
          {result.next && (
            <p>
              <a href={`/admin/tips?${filterParams({ before: result.next })}`}>Xem các tin báo cũ hơn</a>
            </p>
          )}
        </>
      )}
    </Layout>
  );
}

/** `/admin/tips`: the tips inbox with its filters, urgent tips waiting for acknowledgement on top. */
export const tipsListRoutes = [
  defineRoute({
    method: 'GET',
    path: '/admin/tips',
    access: TIP_ROLES,
    nav: { href: '/admin/tips', label: 'Tin báo', description: 'tin báo ẩn danh: phân loại, trả lời, đóng tin', order: 300 },
    async handler(ctx) {
      const q = parseInput(QuerySchema, ctx.query);
      if (!q.ok) return page(await InboxView({ ctx, query: null, result: null, errors: q.errors }), { status: 400 });
      const filter: TipInboxFilter = {
        ...(q.data.status ? { status: q.data.status } : {}),
        ...(q.data.urgency ? { urgency: q.data.urgency } : {}),
        ...(q.data.category ? { category: q.data.category } : {}),
        ...(q.data.school ? { school: q.data.school } : {}),
        ...(q.data.before ? { before: q.data.before } : {}),
      };
      const result = await ctx.deps.tipInbox.inbox(ctx.scope, filter);
      return page(await InboxView({ ctx, query: q.data, result }));
    },
  }),
];
