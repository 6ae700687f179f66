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

function DeadlineRows(props: { list: ReportDeadline[]; next: ReportDeadline | null }) {
  return (
    <>
      {props.list.map((d) => {
        const isNext = sameDeadline(d, props.next);
        return (
          <tr class={isNext ? 'deadline-next' : undefined}>
            <th scope="row">
              {d.dueText}
              {isNext && <span class="badge">Gần nhất</span>}
            </th>
            <td>
              {d.label}
              {d.covers && <span class="hint"> (kỳ: {d.covers})</span>}
            </td>
            <td>{d.rule.regionName}</td>
            <td>{d.rule.recipient}</td>
            <td>{d.needsReview ? <span class="badge">Cần cán bộ xác nhận</span> : d.rule.reviewNote ? 'Xem ghi chú' : ''}</td>
          </tr>
        );
      })}
    </>
  );
}

const HEAD = ['Hạn nộp', 'Báo cáo', 'Địa phương', 'Gửi về', 'Ghi chú'];

/**
 * The reporting deadlines of the plans in the seeds (of one area when REPORT_REGION is set): those of the coming
 * twelve months with the next one highlighted and its source quoted, this year's past ones folded away, and every
 * "Cần cán bộ xác nhận" note the deadline service carries for what a plan leaves open, once per plan.
 */
export function DeadlineSection(props: { now: Date; region: DeadlineRegion | null }) {
  const { now } = props;
  const region = props.region ?? undefined;
  const next = nextDeadline(now, region);
  const year = vnYear(now);
  const all = [...reportDeadlines(year, region), ...reportDeadlines(year + 1, region)];
  const upcoming = all.filter((d) => d.dueBefore.getTime() > now.getTime() && d.dueBefore.getTime() <= now.getTime() + 366 * DAY_MS);
  const past = reportDeadlines(year, region).filter((d) => d.dueBefore.getTime() <= now.getTime());
  const rules = DEADLINE_RULES.filter((r) => !region || r.region === region);
  const notes = rules.filter((r) => r.reviewNote && (r.deadlinesOf(year).length > 0 || r.deadlinesOf(year + 1).length > 0));
  const undated = rules.filter((r) => r.deadlinesOf(year).length === 0 && r.deadlinesOf(year + 1).length === 0 && r.reviewNote);
  const where = props.region ? ` (${rules[0]?.regionName ?? ''})` : '';
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
      {upcoming.length > 0 && (
        <FigureTable caption={`Các hạn nộp trong 12 tháng tới${where || ' theo từng kế hoạch'}`} head={HEAD}>
          <DeadlineRows list={upcoming} next={next} />
        </FigureTable>
      )}
      {past.length > 0 && (
        <details>
          <summary>
            Các hạn đã qua trong năm {year} ({past.length})
          </summary>
          <FigureTable caption={`Các hạn nộp đã qua trong năm ${year}${where}`} head={HEAD}>
            <DeadlineRows list={past} next={null} />
          </FigureTable>
        </details>
      )}
      {notes.length + undated.length > 0 && (
        <>
          <h3>Ghi chú về các hạn nộp</h3>
          <ul class="link-list">
            {notes.map((r) => (
              <li>
                <strong>
                  {r.regionName}, {r.title.charAt(0).toLowerCase() + r.title.slice(1)}
                </strong>
                : {r.reviewNote}
              </li>
            ))}
            {undated.map((r) => (
              <li>
                <strong>
                  {r.regionName}, {r.title.charAt(0).toLowerCase() + r.title.slice(1)}
                </strong>
                : {r.reviewNote}
              </li>
            ))}
          </ul>
        </>
      )}
      {!props.region && <p class="hint">Đang hiện hạn của mọi kế hoạch trong hồ sơ. Quản trị hệ thống có thể chọn địa phương (cài đặt REPORT_REGION) để chỉ hiện hạn của địa phương mình.</p>}
    </section>
  );
}
