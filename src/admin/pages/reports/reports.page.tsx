import { z } from 'zod';
import { nextDeadline } from '../../../services/reports/report-deadlines.js';
import type { ReportFigures } from '../../../services/reports/report-types.js';
import type { ReportUnitChoice } from '../../../services/reports/report-units.js';
import { parseInput } from '../../http/parse-input.js';
import { defineRoute, download, notFound, page, type Reply, type StaffContext } from '../../route.js';
import { chromeOf } from '../../views/chrome.js';
import { Notice } from '../../views/components.js';
import { Layout } from '../../views/layout.js';
import { DeadlineSection } from './deadlines.js';
import { isSubmitted, parseReportRequest, unitValue, type ReportFormValues, type ReportRequest } from './report-request.js';
import { ExportForm, ReportFiguresView, ReportForm } from './report-view.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ExportSchema = z.object({ format: z.enum(['docx', 'xlsx'], 'Hãy chọn định dạng tải về: Word (.docx) hoặc Excel (.xlsx).') });

/** The form's first values: the first unit offered and the quarter of today (Vietnam time). */
function defaultsOf(units: ReportUnitChoice[], now: Date): ReportFormValues {
  const vn = new Date(now.getTime() + 7 * 3600_000);
  const month = vn.getUTCMonth();
  return { unit: units[0] ? unitValue(units[0].unit) : '', kind: 'quarter', year: String(vn.getUTCFullYear()), quarter: String(Math.floor(month / 3) + 1), half: month < 6 ? '1' : '2', from: '', to: '' };
}

function ReportsView(props: { ctx: StaffContext; units: ReportUnitChoice[]; values: ReportFormValues; errors?: Record<string, string>; report?: ReportFigures }) {
  const { ctx, units } = props;
  const errors = props.errors ?? {};
  const tipsOnly = ctx.scope.role === 'tip_handler';
  return (
    <Layout title="Báo cáo định kỳ" chrome={chromeOf(ctx)}>
      <p>
        Báo cáo kết quả thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc theo trường hoặc theo phòng, sở: cam kết an toàn giao thông, tuyên truyền, câu đố, tin báo
        (chỉ số lượng) và thông báo. Xem số liệu ngay trên trang, rồi tải về file Word để trình ký hoặc file Excel.
      </p>
      {tipsOnly && <p>Với tài khoản tiếp nhận tin báo, báo cáo chỉ gồm phần tin báo.</p>}
      <DeadlineSection now={ctx.now} region={ctx.deps.reports.region} />
      <section aria-labelledby="lap-bao-cao" class="dash-section">
        <h2 id="lap-bao-cao">Lập báo cáo</h2>
        {units.length === 0 ? (
          <p>Tài khoản của bạn chưa được gắn với trường hay phòng nào, nên chưa lập được báo cáo.</p>
        ) : (
          <>
            {Object.keys(errors).some((k) => k !== 'format') && <Notice kind="error">Chưa lập được báo cáo: bạn vui lòng sửa các mục được đánh dấu bên dưới.</Notice>}
            <ReportForm units={units} values={props.values} errors={errors} unitValue={(u) => unitValue(u.unit)} />
          </>
        )}
      </section>
      {props.report && (
        <>
          <ReportFiguresView report={props.report} tipsOnly={tipsOnly} />
          <ExportForm values={props.values} csrfToken={ctx.csrfToken} error={errors.format} />
        </>
      )}
    </Layout>
  );
}

type Figures = { ok: true; request: ReportRequest; report: ReportFigures } | { ok: false; reply: Reply };

/** Checks the form and reads the figures: the form again with its messages (400), 404 outside the scope. */
async function figuresOf(ctx: StaffContext, input: Record<string, unknown>, units: ReportUnitChoice[]): Promise<Figures> {
  const defaults = defaultsOf(units, ctx.now);
  const parsed = parseReportRequest(input, defaults);
  if (!parsed.ok) return { ok: false, reply: page(<ReportsView ctx={ctx} units={units} values={parsed.values} errors={parsed.errors} />, { status: 400 }) };
  const out = await ctx.deps.reports.figures(ctx.scope, { unit: parsed.request.unit, period: parsed.request.period }, ctx.now);
  if (!out.ok && out.reason === 'invalid_period') {
    return { ok: false, reply: page(<ReportsView ctx={ctx} units={units} values={parsed.request.values} errors={{ period: out.message }} />, { status: 400 }) };
  }
  // A unit outside the scope answers like one that does not exist.
  if (!out.ok) return { ok: false, reply: notFound() };
  return { ok: true, request: parsed.request, report: out.report };
}

/** "Báo cáo ANTQ - Trường THCS Nguyễn Thị Thập - Quý IV năm 2026.docx" (the download reply also sends an ASCII name). */
function fileName(r: ReportFigures, ext: 'docx' | 'xlsx'): string {
  // Names come from the database: keep letters, digits, spaces and common punctuation, nothing a file system refuses.
  const clean = (s: string) => s.replace(/[^\p{L}\p{N}\p{M} .,()&'-]+/gu, ' ').replace(/\s+/g, ' ').trim().slice(0, 80);
  return `Báo cáo ANTQ - ${clean(r.unit.name)} - ${clean(r.period.label)}.${ext}`;
}

/**
 * `/admin/reports`: the periodic report ("báo cáo kết quả thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc") of a
 * school or an office over a quarter, half year, year or range of days, with the reporting deadlines of the plans
 * (the next one highlighted); `/admin/reports/export` downloads it as DOCX or XLSX, each download audited. Admins and
 * school admins get every section, tip handlers the tips only; a unit outside the scope answers 404.
 */
export const reportRoutes = [
  defineRoute({
    method: 'GET',
    path: '/admin/reports',
    access: ['admin', 'school_admin', 'tip_handler'],
    nav: { href: '/admin/reports', label: 'Báo cáo', description: 'báo cáo định kỳ theo quý, 6 tháng, năm; tải Word, Excel; hạn nộp', order: 700 },
    async handler(ctx) {
      const units = await ctx.deps.reports.units(ctx.scope);
      if (!isSubmitted(ctx.query)) return page(<ReportsView ctx={ctx} units={units} values={defaultsOf(units, ctx.now)} />);
      const f = await figuresOf(ctx, ctx.query, units);
      if (!f.ok) return f.reply;
      return page(<ReportsView ctx={ctx} units={units} values={f.request.values} report={f.report} />);
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/admin/reports/export',
    access: ['admin', 'school_admin', 'tip_handler'],
    async handler(ctx) {
      const units = await ctx.deps.reports.units(ctx.scope);
      const format = parseInput(ExportSchema, { format: ctx.body.format });
      const f = await figuresOf(ctx, ctx.body, units);
      if (!f.ok) return f.reply;
      if (!format.ok) return page(<ReportsView ctx={ctx} units={units} values={f.request.values} errors={format.errors} report={f.report} />, { status: 400 });
      const r = f.report;
      const fmt = format.data.format;
      const region = ctx.deps.reports.region;
      const body = fmt === 'docx' ? await ctx.deps.reports.docx(r, { deadline: region ? nextDeadline(ctx.now, region) : null }) : await ctx.deps.reports.xlsx(r);
      await ctx.audit({
        action: 'export_downloaded',
        targetType: 'report',
        targetId: r.unit.id,
        ...(r.unit.kind === 'school' ? { schoolId: r.unit.id } : { officeId: r.unit.id }),
        detail: { format: fmt, unit: r.unit.kind, period: r.period.period.kind, from: r.period.from.toISOString(), to: r.period.to.toISOString(), tipsOnly: r.pledges === null },
      });
      return download(fileName(r, fmt), fmt === 'docx' ? DOCX : XLSX, body);
    },
  }),
];
