import { formatVnDate, formatVnDateTime } from '../../../content/vn-time.js';
import type { BroadcastFigures } from '../../../services/broadcasts/broadcast-types.js';
import type { WeekBroadcastsResult } from '../../../services/dashboard/week-broadcasts.js';
import { FigureTable, N, numCol } from './figure-table.js';
import { BROADCAST_STATUS_LABELS, labelOf, num, SEND_REASON_LABELS } from './figure-words.js';

function reasons(counts: Partial<Record<string, number>>): string {
  const parts = Object.entries(counts)
    .filter(([, n]) => (n ?? 0) > 0)
    .map(([reason, n]) => `${num(n!)} ${labelOf(SEND_REASON_LABELS, reason)}`);
  return parts.join('; ');
}

function total(counts: Partial<Record<string, number>>): number {
  return Object.values(counts).reduce<number>((n, x) => n + (x ?? 0), 0);
}

function NotSent(props: { f: BroadcastFigures }) {
  const skipped = total(props.f.skipped);
  const failed = total(props.f.failed);
  if (skipped + failed === 0) return <>0</>;
  return (
    <>
      {skipped > 0 && <span class="reason">Bỏ qua {num(skipped)}: {reasons(props.f.skipped)}.</span>}
      {failed > 0 && <span class="reason"> Lỗi {num(failed)}: {reasons(props.f.failed)}.</span>}
    </>
  );
}

/** The broadcasts of the week (sent in the last 7 days or due in the next 7) with their delivery figures. */
export function BroadcastSection(props: { result: WeekBroadcastsResult }) {
  const r = props.result;
  if (!r.ok) return null;
  return (
    <section aria-labelledby="thong-bao" class="dash-section">
      <h2 id="thong-bao">Thông báo trong tuần</h2>
      {r.broadcasts.length === 0 ? (
        <p>
          Không có thông báo nào gửi từ {formatVnDate(r.from)} hoặc hẹn gửi đến {formatVnDate(r.to)}.
        </p>
      ) : (
        <FigureTable
          caption={`Thông báo gửi từ ${formatVnDate(r.from)} và hẹn gửi đến ${formatVnDate(r.to)}, mới nhất trước`}
          head={['Mã', 'Gửi lúc', 'Trạng thái', numCol('Người nhận'), numCol('Đã gửi'), numCol('Đã nhận'), numCol('Đã xem'), numCol('Đang chờ gửi'), 'Không gửi được']}
        >
          {r.broadcasts.map((b) => (
            <tr>
              <th scope="row">
                <span class="code">{b.code}</span>
                {b.fromReminder && <span class="hint"> (tin nhắc theo lịch)</span>}
              </th>
              <td>{formatVnDateTime(b.sendAt)}</td>
              <td>{labelOf(BROADCAST_STATUS_LABELS, b.figures.status)}</td>
              <N>{num(b.figures.audienceSize)}</N>
              <N>{num(b.figures.sent)}</N>
              <N>{num(b.figures.delivered)}</N>
              <N>{num(b.figures.seen)}</N>
              <N>{num(b.figures.queued)}</N>
              <td>
                <NotSent f={b.figures} />
              </td>
            </tr>
          ))}
        </FigureTable>
      )}
      <p class="hint">“Đã nhận”, “đã xem” chỉ đếm được khi Zalo, Messenger gửi xác nhận về, nên có thể thấp hơn thực tế.</p>
    </section>
  );
}
