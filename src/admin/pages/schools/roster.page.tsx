import type { ClassView } from '../../../services/classes/view-class.js';
import type { PreviewRowStatus, RosterPreview } from '../../../services/rosters/plan-roster-import.js';
import { ROSTER_LIMITS, type ImportMode } from '../../../services/rosters/roster-file.js';
import { CSRF_FIELD } from '../../http/csrf.js';
import { defineRoute, notFound, page, redirect, type StaffContext } from '../../route.js';
import { chromeOf } from '../../views/chrome.js';
import { DataTable, Notice } from '../../views/components.js';
import { Layout } from '../../views/layout.js';
import { ChoiceGroup, Radio } from './form-fields.js';
import { readMultipartForm, singleField, type MultipartForm } from './multipart-form.js';
import { SCHOOL_READERS } from './schools.page.js';

// A roster file is at most 2 MB; the confirmation carries it back as base64 (4/3 of it) with a few fields. Anything
// up to this size reaches the service, which names the problem in Vietnamese; beyond it the console's 413 page.
const UPLOAD_LIMIT = 4 * 1024 * 1024;
const MULTIPART = ['multipart/form-data'];
const ACCEPT = '.xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MAX_FILENAME = 255;
const MAX_BASE64 = Math.ceil((ROSTER_LIMITS.maxBytes + 3) / 3) * 4;

const STATUS_LABELS: Record<PreviewRowStatus, string> = {
  new: 'Thêm mới',
  unchanged: 'Đã có, giữ nguyên',
  respelled: 'Đã có, sửa cách viết',
  error: 'Lỗi',
};

const NO_FILE = 'Vui lòng chọn tệp danh sách lớp (Excel .xlsx hoặc CSV) rồi bấm “Xem trước”.';
const BAD_FORM = 'Không đọc được biểu mẫu gửi lên. Vui lòng tải lại trang, chọn tệp rồi thử lại.';

function action(ctx: StaffContext, view: ClassView, step: 'preview' | 'import'): string {
  // The CSRF token rides in the query: a file form's body is bytes, which the console never searches for it.
  return `/admin/classes/${encodeURIComponent(view.class.id)}/roster/${step}?${CSRF_FIELD}=${encodeURIComponent(ctx.csrfToken)}`;
}

function UploadForm(props: { ctx: StaffContext; view: ClassView; mode?: ImportMode }) {
  const { ctx, view } = props;
  const mode = props.mode ?? 'add';
  return (
    <form method="post" action={action(ctx, view, 'preview')} enctype="multipart/form-data" class="stack narrow">
      <div class="field">
        <label for="f-file">Tệp danh sách lớp</label>
        <p class="hint" id="f-file-hint">
          Excel (.xlsx) hoặc CSV UTF-8, tối đa {Math.round(ROSTER_LIMITS.maxBytes / 1024 / 1024)} MB và {ROSTER_LIMITS.maxRows.toLocaleString('vi-VN')} học sinh. Cần một cột “Họ và tên” (hoặc hai cột “Họ
          đệm” và “Tên”) trong 10 dòng đầu; các cột khác (ngày sinh, giới tính…) được bỏ qua, không lưu.
        </p>
        <input id="f-file" type="file" name="file" accept={ACCEPT} required aria-describedby="f-file-hint" />
      </div>
      <ChoiceGroup legend="Cách nhập" name="mode">
        <Radio name="mode" value="add" label="Thêm vào danh sách hiện có (giữ nguyên học sinh đã có)" checked={mode === 'add'} />
        <Radio name="mode" value="replace" label="Thay cả danh sách bằng tệp này (học sinh không có trong tệp bị xoá khỏi danh sách)" checked={mode === 'replace'} />
      </ChoiceGroup>
      <button type="submit">Xem trước</button>
      <p class="hint">Xem trước không thay đổi gì. Danh sách chỉ được nhập khi bạn bấm xác nhận ở bước sau.</p>
    </form>
  );
}

function RosterUploadPage(props: { ctx: StaffContext; view: ClassView; problem?: string; mode?: ImportMode }) {
  const { ctx, view } = props;
  return (
    <Layout title={`Nhập danh sách lớp ${view.class.name}`} chrome={chromeOf(ctx)}>
      <p>
        <a href={`/admin/classes/${encodeURIComponent(view.class.id)}`}>
          ← Lớp {view.class.name}, {view.school.name}
        </a>
      </p>
      {props.problem && (
        <Notice kind="error">
          <p>{props.problem}</p>
          <p>Chưa có gì được thay đổi.</p>
        </Notice>
      )}
      <p>Lớp đang có {view.rosterCount} học sinh trong danh sách.</p>
      <UploadForm ctx={ctx} view={view} {...(props.mode ? { mode: props.mode } : {})} />
    </Layout>
  );
}

function PreviewPage(props: { ctx: StaffContext; view: ClassView; preview: RosterPreview; file: { bytes: Buffer; name: string }; message?: string }) {
  const { ctx, view, preview, file } = props;
  const s = preview.summary;
  const classLink = `/admin/classes/${encodeURIComponent(view.class.id)}`;
  return (
    <Layout title={`Xem trước danh sách lớp ${view.class.name}`} chrome={chromeOf(ctx)}>
      <p>
        <a href={classLink}>
          ← Lớp {view.class.name}, {view.school.name}
        </a>
      </p>
      {props.message && <Notice kind="warning">{props.message}</Notice>}
      <p class="lead">Chưa có gì được thay đổi. Kiểm tra bản xem trước rồi bấm xác nhận ở cuối trang.</p>
      <dl class="facts">
        <dt>Tệp</dt>
        <dd>
          {file.name || 'không tên'} ({preview.format === 'xlsx' ? 'Excel' : `CSV, ${preview.encoding ?? 'UTF-8'}`}), tiêu đề ở dòng {preview.headerRow}, cột họ tên: “{preview.nameColumn}”
        </dd>
        <dt>Cách nhập</dt>
        <dd>{preview.mode === 'replace' ? 'Thay cả danh sách' : 'Thêm vào danh sách hiện có'}</dd>
        <dt>Kết quả</dt>
        <dd>
          {s.rows} dòng: {s.new} thêm mới, {s.unchanged} giữ nguyên, {s.respelled} sửa cách viết{preview.mode === 'replace' ? `, ${s.toRemove} bị xoá khỏi danh sách` : ''}
          {s.errors > 0 ? `, ${s.errors} dòng lỗi` : ''}.
        </dd>
      </dl>
      {preview.notices.map((n) => (
        <Notice kind={preview.canImport ? 'info' : 'warning'}>{n}</Notice>
      ))}
      {preview.errors.length > 0 && (
        <DataTable caption={`Các dòng lỗi (${preview.errors.length}): sửa trong tệp rồi tải lên lại`} head={['Dòng', 'Cột', 'Lỗi']}>
          {preview.errors.map((e) => (
            <tr class="row-error">
              <td>{e.row}</td>
              <td>{e.column}</td>
              <td>{e.message}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {preview.toRemove.length > 0 && (
        <DataTable caption={`Học sinh sẽ bị xoá khỏi danh sách (${preview.toRemove.length})`} head={['Họ và tên']}>
          {preview.toRemove.map((n) => (
            <tr>
              <td>{n}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <DataTable caption={`Các dòng trong tệp (${preview.rows.length})`} head={['Dòng', 'Trong tệp', 'Sẽ lưu là', 'Kết quả']}>
        {preview.rows.map((r) => (
          <tr class={r.status === 'error' ? 'row-error' : undefined}>
            <td>{r.row}</td>
            <td>{r.written}</td>
            <td>{r.name ?? ''}</td>
            <td>
              {STATUS_LABELS[r.status]}
              {r.stored ? ` (đang lưu: ${r.stored})` : ''}
            </td>
          </tr>
        ))}
      </DataTable>
      {preview.canImport && preview.digest ? (
        <form method="post" action={action(ctx, view, 'import')} enctype="multipart/form-data" class="stack">
          {/* The file goes back as it came (base64): the import reads it again and applies it only if it plans exactly this preview. */}
          <input type="hidden" name="file" value={file.bytes.toString('base64')} />
          <input type="hidden" name="filename" value={file.name} />
          <input type="hidden" name="mode" value={preview.mode} />
          <input type="hidden" name="digest" value={preview.digest} />
          <button type="submit">
            Xác nhận nhập danh sách ({s.new} thêm mới, {s.respelled} sửa{preview.mode === 'replace' ? `, ${s.toRemove} xoá` : ''})
          </button>
        </form>
      ) : (
        <Notice kind="error">Tệp còn dòng lỗi nên chưa thể nhập. Sửa các dòng trên trong tệp rồi tải lên lại.</Notice>
      )}
      <h2>Chọn tệp khác</h2>
      <UploadForm ctx={ctx} view={view} mode={preview.mode} />
    </Layout>
  );
}

async function classOr404(ctx: StaffContext): Promise<ClassView | null> {
  const out = await ctx.deps.schools.viewClass(ctx.scope, ctx.params.classId ?? '');
  return out.ok ? out.view : null;
}

function modeOf(form: MultipartForm): ImportMode | null {
  if ((form.fields.get('mode')?.length ?? 0) > 1) return null;
  const m = singleField(form, 'mode') ?? 'add';
  return m === 'add' || m === 'replace' ? m : null;
}

/** The roster import: upload → preview (per-row errors, nothing changed) → confirm (one transaction, all or nothing). */
export const rosterRoutes = [
  defineRoute({
    method: 'GET',
    path: '/admin/classes/:classId/roster',
    access: SCHOOL_READERS,
    async handler(ctx) {
      const view = await classOr404(ctx);
      return view ? page(<RosterUploadPage ctx={ctx} view={view} />) : notFound();
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/admin/classes/:classId/roster/preview',
    access: SCHOOL_READERS,
    rawBody: { limit: UPLOAD_LIMIT, types: MULTIPART },
    async handler(ctx) {
      const view = await classOr404(ctx);
      if (!view) return notFound();
      const form = await readMultipartForm(ctx.rawBody);
      if (!form) return page(<RosterUploadPage ctx={ctx} view={view} problem={ctx.rawBody ? BAD_FORM : NO_FILE} />, { status: 400 });
      const mode = modeOf(form);
      const files = form.files.get('file') ?? [];
      const file = files.length === 1 ? files[0]! : null;
      if (!mode || files.length > 1) return page(<RosterUploadPage ctx={ctx} view={view} problem={BAD_FORM} />, { status: 400 });
      if (!file || (file.bytes.length === 0 && file.name === '')) return page(<RosterUploadPage ctx={ctx} view={view} problem={NO_FILE} mode={mode} />, { status: 400 });
      const name = file.name.slice(0, MAX_FILENAME);
      const out = await ctx.deps.schools.previewRoster(ctx.scope, { classId: view.class.id, mode, file: { bytes: file.bytes, filename: name, mime: file.type } });
      if (!out.ok && out.reason === 'not_found') return notFound();
      if (!out.ok) return page(<RosterUploadPage ctx={ctx} view={view} problem={out.message} mode={mode} />, { status: 400 });
      return page(<PreviewPage ctx={ctx} view={view} preview={out.preview} file={{ bytes: file.bytes, name }} />, { status: out.preview.canImport ? 200 : 400 });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/admin/classes/:classId/roster/import',
    access: SCHOOL_READERS,
    rawBody: { limit: UPLOAD_LIMIT, types: MULTIPART },
    async handler(ctx) {
      const view = await classOr404(ctx);
      if (!view) return notFound();
      const form = await readMultipartForm(ctx.rawBody);
      const b64 = form ? singleField(form, 'file') : undefined;
      const digest = form ? singleField(form, 'digest') : undefined;
      const filename = (form ? singleField(form, 'filename') : undefined) ?? '';
      const mode = form ? modeOf(form) : null;
      const wellFormed = b64 !== undefined && b64.length <= MAX_BASE64 && /^[A-Za-z0-9+/]*={0,2}$/.test(b64) && digest !== undefined && digest.length > 0 && digest.length <= 100 && mode !== null && filename.length <= MAX_FILENAME;
      if (!wellFormed) return page(<RosterUploadPage ctx={ctx} view={view} problem={form ? BAD_FORM : NO_FILE} />, { status: 400 });
      const bytes = Buffer.from(b64, 'base64');
      const out = await ctx.deps.schools.importRoster(ctx.scope, { classId: view.class.id, mode, digest, file: { bytes, filename } }, ctx.now);
      if (out.ok) {
        const q = new URLSearchParams({ saved: 'imported', added: String(out.added), respelled: String(out.respelled), removed: String(out.removed) });
        return redirect(`/admin/classes/${encodeURIComponent(view.class.id)}?${q.toString()}`);
      }
      if (out.reason === 'not_found') return notFound();
      if (out.reason === 'bad_file') return page(<RosterUploadPage ctx={ctx} view={view} problem={out.message} mode={mode} />, { status: 400 });
      return page(<PreviewPage ctx={ctx} view={view} preview={out.preview} file={{ bytes, name: filename }} message={out.message} />, { status: 409 });
    },
  }),
];
