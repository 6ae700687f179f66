import { DEADLINE_RULES, nextDeadline, reportDeadlines, type DeadlineRegion, type ReportDeadline } from '../../../services/reports/report-deadlines.js';
import { Notice } from '../../views/components.js';
import { FigureTable } from '../dashboard/figure-table.js';

const DAY_MS = 86_400_000;
const vnYear = (d: Date) => new Date(d.getTime() + 7 * 3600_000).getUTCFullYear();
const sameDeadline = (a: ReportDeadline, b: ReportDeadline | null) => b !== null && a.rule.id === b.rule.id && a.dueBefore.getTime() === b.dueBefore.getTime();

/** "còn 4 ngày", "hạn cuối là hôm nay". */
function daysLeft(due: Date, now: Date): string {
  const days = Math.ceil((due.getTime() - now.getTime()) / DAY_MS);
  return days <= 1 ? 'hạn cuối là hôm nay' : `còn ${days} ngày`;
}

/**
 * The reporting deadlines of the plans in the seeds (of one area when REPORT_REGION is set): this year's, the next
 * one highlighted with its source quoted, and every "Cần cán bộ xác nhận" note the deadline service carries for what
 * a plan leaves open.
 */
export function DeadlineSection(props: { now: Date; region: DeadlineRegion | null }) {
  const { now } = props;
  const region = props.region ?? undefined;
  const next = nextDeadline(now, region);
  const year = vnYear(now);
  const list = reportDeadlines(year, region);
  if (next && !list.some((d) => sameDeadline(d, next))) list.push(next);
  const undated = DEADLINE_RULES.filter((r) => (!region || r.region === region) && r.deadlinesOf(year).length === 0 && r.deadlinesOf(year + 1).length === 0);
  return (
    <section aria-labelledby="han-bao-cao" class="dash-section">
      <h2 id="han-bao-cao">Hạn nộp báo cáo</h2>
      {next ? (
        <Notice kind="info">
          <p>
            Hạn gần nhất: <strong>{next.label}</strong>, {next.dueText} ({daysLeft(next.dueBefore, now)}) · {next.rule.regionName}. Gửi về: {next.rule.recipient}.
          </p>
          <p class="hint">
            Căn cứ: {next.rule.source.document}, {next.rule.source.clause}:
          </p>
          <blockquote class="quote">“{next.rule.source.quote}”</blockquote>
          {next.needsReview && next.rule.reviewNote && <p>{next.rule.reviewNote}</p>}
        </Notice>
      ) : (
        <p>Các kế hoạch trong hồ sơ không đặt hạn nộp nào sắp tới.</p>
      )}
      {list.length > 0 && (
        <FigureTable caption={`Các hạn nộp báo cáo năm ${year}${props.region ? ` (${list[0]?.rule.regionName ?? ''})` : ' theo từng kế hoạch'}`} head={['Hạn nộp', 'Báo cáo', 'Địa phương', 'Gửi về', 'Ghi chú']} numeric={false}>
          {list.map((d) => {
            const isNext = sameDeadline(d, next);
            const past = d.dueBefore.getTime() <= now.getTime();
            return (
              <tr class={isNext ? 'deadline-next' : past ? 'deadline-past' : undefined}>
                <th scope="row">
                  {d.dueText}
                  {isNext && <span class="badge">Gần nhất</span>}
                  {past && <span class="badge">Đã qua</span>}
                </th>
                <td>
                  {d.label}
                  {d.covers && <span class="hint"> (kỳ: {d.covers})</span>}
                </td>
                <td>{d.rule.regionName}</td>
                <td>{d.rule.recipient}</td>
                <td>
                  {d.needsReview && <span class="badge">Cần xác nhận</span>} {d.rule.reviewNote ?? ''}
                </td>
              </tr>
            );
          })}
        </FigureTable>
      )}
      {undated.map((r) => (
        <p>
          <strong>{r.regionName}</strong>: {r.title}. {r.reviewNote}
        </p>
      ))}
      {!props.region && <p class="hint">Đang hiện hạn của mọi kế hoạch trong hồ sơ. Quản trị hệ thống có thể chọn địa phương (cài đặt REPORT_REGION) để chỉ hiện hạn của địa phương mình.</p>}
    </section>
  );
}
