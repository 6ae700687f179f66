import { formatVnDate, formatVnDateTime } from '../../../content/vn-time.js';
import type { CalendarReminder, NoRunReason } from '../../../services/reminders/list-calendar.js';
import { defineRoute, page, type StaffContext } from '../../route.js';
import { chromeOf } from '../../views/chrome.js';
import { DataTable } from '../../views/components.js';
import { Layout } from '../../views/layout.js';
import { ChatPreview } from '../content/chat-preview.js';
import { ROLE_LABELS } from './broadcast-labels.js';
import { BROADCASTERS } from './compose.page.js';

const NO_RUN: Record<NoRunReason, string> = {
  switched_off: 'Đã tắt: không gửi.',
  campaign_off: 'Chiến dịch của lịch nhắc đang tắt: không gửi.',
  campaign_over: 'Không còn lần gửi nào trong thời gian chiến dịch.',
  already_ran: 'Đã gửi (lịch nhắc một lần).',
  time_passed: 'Giờ gửi đã qua.',
  invalid_schedule: 'Lịch gửi không hợp lệ: cần sửa.',
  none_in_lookahead: 'Không có lần gửi nào trong năm tới.',
};

function scheduleWords(r: CalendarReminder): string {
  return r.schedule.kind === 'cron' ? `Định kỳ, biểu thức cron “${r.schedule.expression}” (giờ Việt Nam)` : `Một lần, lúc ${formatVnDateTime(r.schedule.at)}`;
}

function ReminderCard(props: { r: CalendarReminder }) {
  const { r } = props;
  const id = `reminder-${r.id}`;
  const places = [...r.places.schools, ...(r.places.others > 0 ? [`${r.places.others} trường/lớp khác ngoài phạm vi của bạn`] : [])];
  return (
    <section class="join-card" aria-labelledby={id}>
      <h3 id={id}>{r.title}</h3>
      {r.reviewNote && <p class="review-note">Cần cán bộ xác nhận: {r.reviewNote}</p>}
      <dl class="facts">
        <dt>Lịch</dt>
        <dd>{scheduleWords(r)}</dd>
        <dt>Lần gửi tới</dt>
        <dd>{r.nextRuns.length ? r.nextRuns.map((d) => formatVnDateTime(d)).join('; ') : NO_RUN[r.noRun ?? 'none_in_lookahead']}</dd>
        <dt>Lần gửi gần nhất</dt>
        <dd>{r.lastRunAt ? formatVnDateTime(r.lastRunAt) : 'chưa gửi lần nào'}</dd>
        {r.campaign && (
          <>
            <dt>Chiến dịch</dt>
            <dd>
              {r.campaign.title}, {formatVnDate(r.campaign.startsOn)}–{formatVnDate(r.campaign.endsOn)}
              {r.campaign.active ? '' : ' (đang tắt)'}
            </dd>
          </>
        )}
        <dt>Gửi tới</dt>
        <dd>
          {places.join(', ')}: {r.audience.roles.map((x) => ROLE_LABELS[x]).join(', ')}
          {r.audience.onlyUnpledged ? ', chỉ người chưa ký cam kết' : ''}
          {r.audience.includeGroups ? ', và nhóm Zalo các lớp' : ''}
        </dd>
        <dt>Nguồn</dt>
        <dd>{r.source}</dd>
      </dl>
      {r.messages.length > 0 && (
        <details>
          <summary>Nội dung gửi (xem trên Zalo)</summary>
          <ChatPreview messages={r.messages} channel="zalo" id={`${id}-zalo`} />
        </details>
      )}
    </section>
  );
}

function CalendarPage(props: { ctx: StaffContext; data: Awaited<ReturnType<StaffContext['deps']['broadcasts']['calendar']>> }) {
  const { ctx, data } = props;
  const byId = new Map(data.reminders.map((r) => [r.id, r]));
  return (
    <Layout title="Lịch nhắc của chiến dịch" chrome={chromeOf(ctx)}>
      <p>
        <a href="/admin/broadcasts">← Các thông báo</a>
      </p>
      <p class="lead">
        Các lịch nhắc tự động theo kế hoạch của phòng, sở giáo dục (thư mục src/content/calendar). Mỗi lần đến giờ, hệ thống tạo một thông báo gửi cho đúng đối tượng; lịch nhắc của một chiến
        dịch chỉ gửi trong những ngày của chiến dịch. Giờ là giờ Việt Nam.
      </p>
      <h2>30 ngày tới</h2>
      {data.upcoming.length === 0 ? (
        <p>Không có lần gửi nào trong 30 ngày tới.</p>
      ) : (
        <DataTable caption={`Các lần gửi trong 30 ngày tới (${data.upcoming.length})`} head={['Thời điểm', 'Lịch nhắc', 'Gửi tới']}>
          {data.upcoming.map((u) => (
            <tr>
              <td>{formatVnDateTime(u.at)}</td>
              <td>
                <a href={`#reminder-${u.reminderId}`}>{u.title}</a>
              </td>
              <td>{(byId.get(u.reminderId)?.audience.roles ?? []).map((x) => ROLE_LABELS[x]).join(', ')}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <h2>Tất cả lịch nhắc ({data.reminders.length})</h2>
      {data.reminders.length === 0 ? (
        <p>Chưa có lịch nhắc nào cho các trường trong phạm vi của bạn.</p>
      ) : (
        <div class="join-links">
          {data.reminders.map((r) => (
            <ReminderCard r={r} />
          ))}
        </div>
      )}
    </Layout>
  );
}

/** `/admin/reminders`: the campaign calendar's reminders in scope with their next run times. */
export const reminderRoutes = [
  defineRoute({
    method: 'GET',
    path: '/admin/reminders',
    access: BROADCASTERS,
    nav: { href: '/admin/reminders', label: 'Lịch nhắc', description: 'lịch nhắc tự động của chiến dịch và lần gửi tới', order: 410 },
    handler: async (ctx) => page(<CalendarPage ctx={ctx} data={await ctx.deps.broadcasts.calendar(ctx.scope, ctx.now)} />),
  }),
];
