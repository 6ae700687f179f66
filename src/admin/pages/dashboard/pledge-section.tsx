import type { ComponentChildren } from 'preact';
import { renderProgressChart } from '../../../services/dashboard/render-progress-chart.js';
import type { PledgeProgressFiguresResult, ProgressRow, SideProgress } from '../../../services/dashboard/pledge-progress-figures.js';
import { Notice } from '../../views/components.js';
import { FigureTable, N, numCol } from './figure-table.js';
import { num, percent } from './figure-words.js';

// A chart of hundreds of schools is a page of its own: beyond this many rows it shows the ones furthest behind.
export const CHART_MAX_ROWS = 40;

/** Pledges counted against the roster: those matched to a roster pupil (per class), or every valid one (per school). */
const counted = (s: SideProgress) => s.onRoster ?? s.signed;
const share = (r: Pick<ProgressRow, 'rosterSize' | 'parents' | 'students'>) => (r.rosterSize > 0 ? Math.min(counted(r.parents), counted(r.students)) / r.rosterSize : 0);

/** The chart as an image of our own making (`data:` is what the CSP allows besides our origin; no inline SVG). */
function chartImage(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

/**
 * Pledge progress of the active campaign: per class (one school) or per school (an office), parents and students
 * against the roster, as a chart (server-rendered SVG, shown as an image) and as a table with the same numbers.
 */
export function PledgeSection(props: { result: PledgeProgressFiguresResult; drillDown: boolean }) {
  const r = props.result;
  if (!r.ok && r.reason !== 'no_campaign') return null;
  return (
    <section aria-labelledby="cam-ket" class="dash-section">
      <h2 id="cam-ket">Cam kết an toàn giao thông</h2>
      {!r.ok ? (
        <Notice kind="info">Chưa có chiến dịch nào đang diễn ra, nên chưa có cam kết để thống kê.</Notice>
      ) : (
        <PledgeFigures figures={r} drillDown={props.drillDown} />
      )}
    </section>
  );
}

function PledgeFigures(props: { figures: Extract<PledgeProgressFiguresResult, { ok: true }>; drillDown: boolean }) {
  const f = props.figures;
  const unit = f.level === 'class' ? 'lớp' : 'trường';
  const Unit = f.level === 'class' ? 'Lớp' : 'Trường';
  const tableCaption = `Cam kết theo ${unit}: ${f.campaign.title}`;
  const charted = f.rows.length > CHART_MAX_ROWS ? [...f.rows].sort((a, b) => share(a) - share(b) || a.name.localeCompare(b.name, 'vi')).slice(0, CHART_MAX_ROWS) : f.rows;
  const chartTitle = f.rows.length > CHART_MAX_ROWS ? `${CHART_MAX_ROWS} ${unit} có tỉ lệ cam kết thấp nhất (trong ${num(f.rows.length)} ${unit})` : `Tỉ lệ cam kết theo ${unit}`;
  const svg = renderProgressChart({ title: chartTitle, level: f.level, rows: charted, idPrefix: 'tien-do' });
  const t = f.total;
  return (
    <>
      <p>
        Chiến dịch <strong>{f.campaign.title}</strong>: phụ huynh {num(counted(t.parents))}/{num(t.rosterSize)} ({percent(counted(t.parents), t.rosterSize)}), học sinh{' '}
        {num(counted(t.students))}/{num(t.rosterSize)} ({percent(counted(t.students), t.rosterSize)}) so với danh sách lớp.
        {f.level === 'school' && ' Theo trường, số cam kết còn hiệu lực được so với sĩ số (chưa đối chiếu từng tên).'}
      </p>
      {f.rows.length === 0 ? (
        <p>Chưa có {unit} nào trong phạm vi của bạn.</p>
      ) : (
        <>
          <figure class="chart">
            <div class="chart-scroll" role="region" aria-label={`Biểu đồ: ${chartTitle}`} tabIndex={0}>
              <img src={chartImage(svg)} alt={`Biểu đồ: ${chartTitle}. Số liệu đầy đủ ở bảng “${tableCaption}” ngay dưới.`} width={760} />
            </div>
          </figure>
          <FigureTable
            caption={tableCaption}
            head={[Unit, numCol('Sĩ số'), numCol('Phụ huynh đã cam kết'), numCol('Tỉ lệ phụ huynh'), numCol('Học sinh đã cam kết'), numCol('Tỉ lệ học sinh'), ...(f.level === 'class' ? ['Cam kết ngoài danh sách'] : [])]}
          >
            {f.rows.map((row) => (
              <ProgressLine row={row} level={f.level} name={props.drillDown && f.level === 'school' ? <a href={`/admin?school=${encodeURIComponent(row.id)}`}>{row.name}</a> : row.name} />
            ))}
            <ProgressLine row={t} level={f.level} name="Tổng cộng" total />
          </FigureTable>
        </>
      )}
    </>
  );
}

function ProgressLine(props: { row: Pick<ProgressRow, 'rosterSize' | 'parents' | 'students'>; level: 'class' | 'school'; name: ComponentChildren; total?: boolean }) {
  const { row } = props;
  const outside = (s: SideProgress) => (s.onRoster === null ? 0 : Math.max(0, s.signed - s.onRoster));
  return (
    <tr class={props.total ? 'total' : undefined}>
      <th scope="row">{props.name}</th>
      <N>{num(row.rosterSize)}</N>
      <N>{num(counted(row.parents))}</N>
      <N>{percent(counted(row.parents), row.rosterSize)}</N>
      <N>{num(counted(row.students))}</N>
      <N>{percent(counted(row.students), row.rosterSize)}</N>
      {props.level === 'class' && (
        <td>
          {num(outside(row.parents))} phụ huynh, {num(outside(row.students))} học sinh
        </td>
      )}
    </tr>
  );
}
