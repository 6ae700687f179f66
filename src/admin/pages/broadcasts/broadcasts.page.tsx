import { z } from 'zod';
import { formatVnDateTime } from '../../../content/vn-time.js';
import type { BroadcastStatus } from '../../../services/broadcasts/broadcast-types.js';
import type { StaffBroadcastListItem } from '../../../services/broadcasts/list-staff-broadcasts.js';
import type { StaffBroadcastView } from '../../../services/broadcasts/staff-broadcast-view.js';
import { parseInput } from '../../http/parse-input.js';
import { defineRoute, notFound, page, redirect, type StaffContext } from '../../route.js';
import { chromeOf } from '../../views/chrome.js';
import { DataTable, Notice, PostForm } from '../../views/components.js';
import { Layout } from '../../views/layout.js';
import { ChatPreview } from '../content/chat-preview.js';
import { CheckboxField, formCheckbox, SelectField } from '../schools/form-fields.js';
import { savedNotice } from '../schools/schools.page.js';
import { outcomeLabel, ROLE_LABELS, statusLabel, STATUS_FILTERS } from './broadcast-labels.js';
import { BROADCASTERS } from './compose.page.js';

const ListQuery = z.object({ status: z.union([z.literal(''), z.enum(STATUS_FILTERS as [BroadcastStatus, ...BroadcastStatus[]])], 'Trạng thái không có trong danh sách.').optional() });
const CancelForm = z.object({ confirm: formCheckbox });

const AUTHOR_LABELS: Record<StaffBroadcastListItem['author'], string> = {
  me: 'Bạn',
  staff: 'Cán bộ khác',
  teacher_chat: 'Giáo viên (qua chat)',
  reminder: 'Lịch nhắc tự động',
  unknown: 'Không rõ',
};

const SAVED = {
  created: 'Đã tạo thông báo. Hệ thống bắt đầu gửi trong vài giây (hoặc vào giờ đã hẹn).',
  approved: 'Đã duyệt: thông báo được gửi vào giờ đã hẹn (hoặc ngay nếu giờ đó đã qua). Giáo viên được báo trong chat.',
  rejected: 'Đã từ chối thông báo. Giáo viên được báo trong chat.',
  cancelled: 'Đã huỷ thông báo: các tin chưa gửi sẽ không được gửi nữa.',
};

function sum(xs: Partial<Record<string, number>>): number {
  return Object.values(xs).reduce<number>((a, b) => a + (b ?? 0), 0);
}

function ListPage(props: { ctx: StaffContext; items: StaffBroadcastListItem[]; status: string; error?: string }) {
  const { ctx, items } = props;
  const waiting = items.filter((i) => i.mayDecide);
  return (
    <Layout title="Thông báo" chrome={chromeOf(ctx)}>
      <p>
        <a class="button" href="/admin/broadcasts/new">
          Soạn thông báo
        </a>{' '}
        <a href="/admin/reminders">Lịch nhắc của chiến dịch</a>
      </p>
      {waiting.length > 0 && (
        <Notice kind="warning">
          <p>Có {waiting.length} thông báo của giáo viên đang chờ bạn duyệt:</p>
          <ul>
            {waiting.map((w) => (
              <li>
                <a href={`/admin/broadcasts/${encodeURIComponent(w.id)}`}>{w.code}</a>, gửi lúc {formatVnDateTime(w.sendAt)}
              </li>
            ))}
          </ul>
        </Notice>
      )}
      <form method="get" action="/admin/broadcasts" class="filters">
        <SelectField
          name="status"
          label="Trạng thái"
          options={[{ value: '', label: 'Tất cả' }, ...STATUS_FILTERS.map((s) => ({ value: s, label: statusLabel(s) }))]}
          value={props.status}
          error={props.error}
        />
        <button type="submit">Lọc</button>
      </form>
      {items.length === 0 ? (
        <p>Chưa có thông báo nào trong phạm vi của bạn.</p>
      ) : (
        <DataTable caption={`Thông báo mới nhất (${items.length})`} head={['Mã', 'Trạng thái', 'Gửi lúc', 'Người tạo', 'Gửi tới', 'Người nhận', 'Đã gửi', 'Đã nhận', 'Chờ gửi', 'Bỏ qua', 'Lỗi']}>
          {items.map((i) => (
            <tr>
              <td>
                <a href={`/admin/broadcasts/${encodeURIComponent(i.id)}`} class="code">
                  {i.code}
                </a>
              </td>
              <td>
                {statusLabel(i.status)}
                {i.mayDecide && <span class="tag tag-warn"> chờ bạn duyệt</span>}
              </td>
              <td>{formatVnDateTime(i.sendAt)}</td>
              <td>{AUTHOR_LABELS[i.author]}</td>
              <td>{[i.schools ? `${i.schools} trường` : '', i.classes ? `${i.classes} lớp` : ''].filter(Boolean).join(', ')}</td>
              <td>{i.figures.audienceSize}</td>
              <td>{i.figures.sent}</td>
              <td>{i.figures.delivered}</td>
              <td>{i.figures.queued}</td>
              <td>{sum(i.figures.skipped) + i.figures.cancelled}</td>
              <td>{sum(i.figures.failed)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </Layout>
  );
}

function authorWords(v: StaffBroadcastView): string {
  switch (v.author.kind) {
    case 'me':
      return 'Bạn (trang quản lý)';
    case 'staff':
      return 'Cán bộ khác (trang quản lý)';
    case 'teacher_chat':
      return 'Giáo viên, soạn trong chat';
    case 'reminder':
      return `Lịch nhắc: ${v.author.title ?? 'đã xoá'}`;
    case 'unknown':
      return 'Không rõ';
  }
}

function DetailPage(props: { ctx: StaffContext; view: StaffBroadcastView; error?: string }) {
  const { ctx, view: v } = props;
  const f = v.figures;
  const base = `/admin/broadcasts/${encodeURIComponent(v.id)}`;
  const where = [...v.places.schools.map((s) => `cả trường ${s}`), ...v.places.classes.map((c) => `lớp ${c}`)];
  if (v.places.others > 0) where.push(`${v.places.others} trường/lớp khác ngoài phạm vi của bạn`);
  const skipped = Object.entries(f?.skipped ?? {});
  const failed = Object.entries(f?.failed ?? {});
  return (
    <Layout title={`Thông báo ${v.code}`} chrome={chromeOf(ctx)}>
      <p>
        <a href="/admin/broadcasts">← Các thông báo</a>
      </p>
      {savedNotice(ctx.query, SAVED)}
      {props.error && <Notice kind="error">{props.error}</Notice>}
      <dl class="facts">
        <dt>Trạng thái</dt>
        <dd>{statusLabel(v.status)}</dd>
        <dt>Gửi lúc</dt>
        <dd>{formatVnDateTime(v.sendAt)} (giờ Việt Nam)</dd>
        <dt>Người tạo</dt>
        <dd>
          {authorWords(v)}, lúc {formatVnDateTime(v.createdAt)}
        </dd>
        <dt>Gửi tới</dt>
        <dd>{where.join('; ') || 'không có'}</dd>
        <dt>Người nhận</dt>
        <dd>
          {v.audience.roles.map((r) => ROLE_LABELS[r]).join(', ') || 'không có'}
          {v.audience.onlyUnpledged ? ', chỉ người chưa ký cam kết' : ''}
          {v.audience.includeGroups ? ', và nhóm Zalo các lớp' : ''}
        </dd>
        {v.needsApproval && (
          <>
            <dt>Duyệt</dt>
            <dd>{v.approvedAt ? `Đã duyệt lúc ${formatVnDateTime(v.approvedAt)}` : v.status === 'rejected' ? 'Bị từ chối' : 'Cần ban giám hiệu duyệt trước khi gửi'}</dd>
          </>
        )}
        {v.cancelledAt && (
          <>
            <dt>Huỷ lúc</dt>
            <dd>{formatVnDateTime(v.cancelledAt)}</dd>
          </>
        )}
      </dl>

      {(v.mayDecide || v.mayCancel) && (
        <div class="actions">
          {v.mayDecide && (
            <PostForm action={`${base}/approve`} csrfToken={ctx.csrfToken}>
              <button type="submit">Duyệt và gửi</button>
            </PostForm>
          )}
          {v.mayDecide && (
            <PostForm action={`${base}/reject`} csrfToken={ctx.csrfToken}>
              <button type="submit" class="button-secondary">
                Từ chối
              </button>
            </PostForm>
          )}
          {v.mayCancel && (
            <PostForm action={`${base}/cancel`} csrfToken={ctx.csrfToken} class="stack">
              <CheckboxField name="confirm" label="Tôi muốn dừng gửi thông báo này (tin đã gửi không thu hồi được)" />
              <button type="submit" class="button-danger">
                Huỷ thông báo
              </button>
            </PostForm>
          )}
        </div>
      )}

      <h2>Kết quả gửi</h2>
      {f && f.audienceSize + f.queued + f.sent + f.cancelled + sum(f.skipped) + sum(f.failed) > 0 ? (
        <>
          <ul class="figures" aria-label="Số liệu gửi">
            <li>
              <strong>{f.audienceSize}</strong> người nhận
            </li>
            <li>
              <strong>{f.queued}</strong> đang chờ gửi
            </li>
            <li>
              <strong>{f.sent}</strong> đã gửi
            </li>
            <li>
              <strong>{f.delivered}</strong> đã nhận
            </li>
            <li>
              <strong>{f.seen}</strong> đã xem
            </li>
            <li>
              <strong>{f.caughtUp}</strong> gửi bù khi nhắn lại
            </li>
            <li>
              <strong>{f.cancelled}</strong> dừng do huỷ
            </li>
          </ul>
          <DataTable caption="Bỏ qua và lỗi, theo lý do" head={['Kết quả', 'Lý do', 'Số người']}>
            {skipped.map(([reason, n]) => (
              <tr>
                <td>Bỏ qua</td>
                <td>{outcomeLabel(reason)}</td>
                <td>{n}</td>
              </tr>
            ))}
            {failed.map(([reason, n]) => (
              <tr>
                <td>Lỗi</td>
                <td>{outcomeLabel(reason)}</td>
                <td>{n}</td>
              </tr>
            ))}
            {skipped.length + failed.length === 0 && (
              <tr>
                <td colSpan={3}>Không có người nhận nào bị bỏ qua hay gặp lỗi.</td>
              </tr>
            )}
          </DataTable>
          <p class="hint">Mỗi người (hoặc nhóm) được đếm một lần. “Đã nhận” và “đã xem” chỉ có khi nền tảng báo lại.</p>
        </>
      ) : (
        <p>{v.status === 'pending_approval' ? 'Chưa gửi: đang chờ duyệt.' : v.status === 'scheduled' ? 'Chưa đến giờ gửi.' : 'Chưa có số liệu gửi.'}</p>
      )}

      <h2>Nội dung</h2>
      {v.messages.length ? (
        <div class="previews">
          <ChatPreview messages={v.messages} channel="zalo" id="preview-zalo" />
          <ChatPreview messages={v.messages} channel="messenger" id="preview-messenger" />
          {v.audience.includeGroups && <ChatPreview messages={v.messages} channel="zalo_group" id="preview-group" />}
        </div>
      ) : (
        <p>Không đọc được nội dung đã lưu.</p>
      )}
    </Layout>
  );
}

async function viewOr404(ctx: StaffContext) {
  const out = await ctx.deps.broadcasts.view(ctx.scope, ctx.params.broadcastId ?? '');
  return out.ok ? out.view : null;
}

const DECIDE_ERRORS = { not_approver: 'Bạn không phải người duyệt thông báo này.', not_pending: 'Thông báo này không còn chờ duyệt (có thể người khác vừa duyệt hoặc từ chối).' };
const CANCEL_ERRORS = { not_allowed: 'Chỉ người tạo thông báo hoặc người duyệt mới huỷ được.', finished: 'Thông báo này đã kết thúc (đã huỷ, bị từ chối hoặc đã gửi hết), không còn gì để dừng.' };

function decideRoute(approve: boolean) {
  return defineRoute({
    method: 'POST',
    path: approve ? '/admin/broadcasts/:broadcastId/approve' : '/admin/broadcasts/:broadcastId/reject',
    access: ['admin', 'school_admin'],
    async handler(ctx) {
      const view = await viewOr404(ctx);
      if (!view) return notFound();
      const out = await ctx.deps.broadcasts.decide(ctx.scope, { broadcastId: view.id, approve, now: ctx.now });
      if (out.ok) return redirect(`/admin/broadcasts/${encodeURIComponent(view.id)}?saved=${approve ? 'approved' : 'rejected'}`);
      if (out.reason === 'not_found') return notFound();
      return page(<DetailPage ctx={ctx} view={(await viewOr404(ctx)) ?? view} error={DECIDE_ERRORS[out.reason]} />, { status: out.reason === 'not_approver' ? 403 : 409 });
    },
  });
}

/** `/admin/broadcasts`: the broadcasts in scope with their figures; one broadcast's details, approval and cancelling. */
export const broadcastRoutes = [
  defineRoute({
    method: 'GET',
    path: '/admin/broadcasts',
    access: BROADCASTERS,
    nav: { href: '/admin/broadcasts', label: 'Thông báo', description: 'soạn và hẹn giờ thông báo, dự báo số người nhận, duyệt, huỷ, kết quả gửi', order: 400 },
    async handler(ctx) {
      const q = parseInput(ListQuery, ctx.query);
      if (!q.ok) return page(<ListPage ctx={ctx} items={await ctx.deps.broadcasts.list(ctx.scope)} status="" error={q.errors.status ?? 'Bộ lọc không hợp lệ.'} />, { status: 400 });
      const status = q.data.status || undefined;
      return page(<ListPage ctx={ctx} items={await ctx.deps.broadcasts.list(ctx.scope, status ? { status } : {})} status={status ?? ''} />);
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/admin/broadcasts/:broadcastId',
    access: BROADCASTERS,
    async handler(ctx) {
      const view = await viewOr404(ctx);
      return view ? page(<DetailPage ctx={ctx} view={view} />) : notFound();
    },
  }),
  decideRoute(true),
  decideRoute(false),
  defineRoute({
    method: 'POST',
    path: '/admin/broadcasts/:broadcastId/cancel',
    access: BROADCASTERS,
    async handler(ctx) {
      const view = await viewOr404(ctx);
      if (!view) return notFound();
      const form = parseInput(CancelForm, ctx.body);
      if (!form.ok || !form.data.confirm) return page(<DetailPage ctx={ctx} view={view} error="Đánh dấu ô xác nhận rồi bấm “Huỷ thông báo” để dừng gửi. Chưa có gì thay đổi." />, { status: 400 });
      const out = await ctx.deps.broadcasts.cancel(ctx.scope, { broadcastId: view.id, now: ctx.now });
      if (out.ok) return redirect(`/admin/broadcasts/${encodeURIComponent(view.id)}?saved=cancelled`);
      if (out.reason === 'not_found') return notFound();
      return page(<DetailPage ctx={ctx} view={view} error={CANCEL_ERRORS[out.reason]} />, { status: out.reason === 'not_allowed' ? 403 : 409 });
    },
  }),
];
