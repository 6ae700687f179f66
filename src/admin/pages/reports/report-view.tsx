import { formatVnDateTime } from '../../../content/vn-time.js';
import { reportSections } from '../../../services/reports/report-tables.js';
import type { ReportFigures } from '../../../services/reports/report-types.js';
import type { ReportUnitChoice } from '../../../services/reports/report-units.js';
import { CsrfField, SelectField, TextField } from '../../views/components.js';
import { FigureTable, N, numCol } from '../dashboard/figure-table.js';
import { num } from '../dashboard/figure-words.js';
import { PERIOD_KINDS, type ReportFormValues } from './report-request.js';

const cell = (v: string | number) => (typeof v === 'number' ? num(v) : v);
/** A column whose cells are all numbers (or the dash of "none"). */
const isNumberColumn = (rows: (string | number)[][], i: number) => rows.every((r) => typeof r[i] === 'number' || r[i] === '–');

/**
 * The report's figures as the page shows them: the same sections and tables as the Word and Excel files
 * (`reportSections`), each table with its caption, the notes under them.
 */
export function ReportFiguresView(props: { report: ReportFigures; tipsOnly: boolean }) {
  const r = props.report;
  const sections = reportSections(r);
  return (
    <section aria-labelledby="so-lieu" class="dash-section">
      <h2 id="so-lieu">
        Số liệu: {r.unit.name}, {r.period.label}
      </h2>
      <p>
        {r.period.span.charAt(0).toUpperCase() + r.period.span.slice(1)}
        {r.unit.kind === 'office' && `, ${num(r.unit.schoolCount)} trường`}. Lập lúc {formatVnDateTime(r.generatedAt)}. Chỉ gồm số lượng: không có tên học sinh, phụ huynh hay
        nội dung tin báo.
      </p>
      {props.tipsOnly && <p>Tài khoản tiếp nhận tin báo chỉ xem được phần tin báo của báo cáo.</p>}
      {sections.map((s) => (
        <>
          <h3>{s.heading}</h3>
          {s.tables.map((t) => (
            <FigureTable caption={t.caption ? `${s.heading}: ${t.caption}` : s.heading} head={t.columns.map((col, i) => (i > 0 && isNumberColumn(t.rows, i) ? numCol(col) : col))}>
              {t.rows.map((row, i) => (
                <tr class={t.lastIsTotal && i === t.rows.length - 1 ? 'total' : undefined}>
                  <th scope="row">{cell(row[0] ?? '')}</th>
                  {row.slice(1).map((v) => (typeof v === 'number' || v === '–' ? <N>{cell(v)}</N> : <td>{cell(v)}</td>))}
                </tr>
              ))}
            </FigureTable>
          ))}
          {s.notes.map((n) => (
            <p class="hint">Ghi chú: {n}</p>
          ))}
        </>
      ))}
    </section>
  );
}

/** The two download buttons, posting the request again with the CSRF token (each download is audited). */
export function ExportForm(props: { values: ReportFormValues; csrfToken: string; error?: string | undefined }) {
  const v = props.values;
  const hidden = (name: keyof ReportFormValues) => <input type="hidden" name={name} value={v[name]} />;
  return (
    <form method="post" action="/admin/reports/export" class="actions">
      {props.error && (
        <p class="error" role="alert">
          {props.error}
        </p>
      )}
      <CsrfField token={props.csrfToken} />
      {hidden('unit')}
      {hidden('kind')}
      {hidden('year')}
      {hidden('quarter')}
      {hidden('half')}
      {hidden('from')}
      {hidden('to')}
      <button type="submit" name="format" value="docx">
        Tải báo cáo Word (.docx)
      </button>
      <button type="submit" name="format" value="xlsx">
        Tải bảng số liệu Excel (.xlsx)
      </button>
    </form>
  );
}

const QUARTERS = ['I', 'II', 'III', 'IV'].map((q, i) => ({ value: String(i + 1), label: `Quý ${q}` }));
const HALVES = [
  { value: '1', label: '6 tháng đầu năm' },
  { value: '2', label: '6 tháng cuối năm' },
];

const option = (value: string, label: string, selected: string) => (
  <option value={value} selected={value === selected}>
    {label}
  </option>
);

/**
 * The report form (GET, so a report's address can be kept): the unit (offices, then schools grouped by office) and the
 * period. Fields that do not apply to the chosen kind of period are ignored.
 */
export function ReportForm(props: { units: ReportUnitChoice[]; values: ReportFormValues; errors: Record<string, string>; unitValue: (u: ReportUnitChoice) => string }) {
  const { values: v, errors: e } = props;
  const offices = props.units.filter((u) => u.unit.kind === 'office');
  const groups = new Map<string, ReportUnitChoice[]>();
  for (const u of props.units.filter((x) => x.unit.kind === 'school')) {
    const key = u.officeName ?? 'Trường';
    groups.set(key, [...(groups.get(key) ?? []), u]);
  }
  return (
    <form method="get" action="/admin/reports" class="report-form" novalidate>
      {e[''] && <p class="error">{e['']}</p>}
      <SelectField name="unit" label="Đơn vị báo cáo" error={e.unit}>
        {offices.length > 0 && <optgroup label="Cả phòng, sở (mọi trường)">{offices.map((u) => option(props.unitValue(u), u.name, v.unit))}</optgroup>}
        {[...groups].map(([office, schools]) => (
          <optgroup label={office}>{schools.map((u) => option(props.unitValue(u), u.name, v.unit))}</optgroup>
        ))}
      </SelectField>
      <fieldset>
        <legend>Kỳ báo cáo</legend>
        {e.period && (
          <p class="error" id="f-period-error" role="alert">
            {e.period}
          </p>
        )}
        <SelectField name="kind" label="Loại kỳ" options={PERIOD_KINDS} value={v.kind} error={e.kind} />
        <div class="row">
          <TextField name="year" label="Năm" type="number" min={2020} max={2100} inputMode="numeric" value={v.year} hint="Cho quý, 6 tháng và cả năm." error={e.year} />
          <SelectField name="quarter" label="Quý" options={QUARTERS} value={v.quarter} error={e.quarter} />
          <SelectField name="half" label="6 tháng" options={HALVES} value={v.half} error={e.half} />
        </div>
        <div class="row">
          <TextField name="from" label="Từ ngày" type="date" value={v.from} hint="Cho khoảng ngày tự chọn (tối đa 2 năm)." error={e.from} />
          <TextField name="to" label="Đến ngày" type="date" value={v.to} error={e.to} />
        </div>
      </fieldset>
      <button type="submit">Xem báo cáo</button>
    </form>
  );
}
