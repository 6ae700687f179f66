import { z } from 'zod';
import { AppError } from '../../../errors.js';
import { formatVnDateTime } from '../../../content/vn-time.js';
import type { ClassView } from '../../../services/classes/view-class.js';
import { DEFAULT_INVITE_DAYS, MAX_INVITE_DAYS } from '../../../services/teachers/create-invite.js';
import { parseInput } from '../../http/parse-input.js';
import { defineRoute, download, notFound, page, redirect, type StaffContext } from '../../route.js';
import { chromeOf } from '../../views/chrome.js';
import { DataTable, Notice, PostForm, TextField } from '../../views/components.js';
import { Layout } from '../../views/layout.js';
import { errorsByField, FormErrors, formText } from './form-fields.js';
import { gradeLabel } from './school-labels.js';
import { gradeOf } from './school.page.js';
import { savedNotice, SCHOOL_READERS } from './schools.page.js';

const ClassForm = z.object({ name: formText(1000), grade: formText(20) });
const InviteForm = z.object({ days: formText(20) });
const QR_FILE = /^(messenger|zalo)\.(svg|png)$/;

type Invite = { code: string; expiresAt: Date } | { error: string };
type FormState = { values: Record<string, string | undefined>; errors: Record<string, string> };

const SAVED = {
  created: 'Đã thêm lớp. Hãy nhập danh sách học sinh và in mã QR cho phụ huynh, học sinh.',
  updated: 'Đã lưu thông tin lớp.',
};

/** After an import (`?saved=imported&added=…`): what changed, in counts. */
function importedNotice(query: Record<string, unknown>) {
  if (query.saved !== 'imported') return null;
  const n = (k: string) => (typeof query[k] === 'string' && /^\d{1,6}$/.test(query[k]) ? Number(query[k]) : 0);
  return (
    <Notice kind="success">
      Đã nhập danh sách lớp: {n('added')} học sinh thêm mới, {n('respelled')} sửa cách viết, {n('removed')} xoá khỏi danh sách.
    </Notice>
  );
}

function ClassPage(props: { ctx: StaffContext; view: ClassView; edit?: FormState; invite?: Invite }) {
  const { ctx, view, invite } = props;
  const { class: cls, school, links } = view;
  const base = `/admin/classes/${encodeURIComponent(cls.id)}`;
  const ev = props.edit?.values ?? { name: cls.name, grade: String(cls.grade) };
  const ee = props.edit?.errors ?? {};
  return (
    <Layout title={`Lớp ${cls.name} – ${school.name}`} chrome={chromeOf(ctx)}>
      <p>
        <a href={`/admin/schools/${encodeURIComponent(school.id)}`}>← {school.name}</a>
      </p>
      {importedNotice(ctx.query) ?? savedNotice(ctx.query, SAVED)}
      <dl class="facts">
        <dt>Khối</dt>
        <dd>{gradeLabel(cls.grade)}</dd>
        <dt>Năm học</dt>
        <dd>{cls.schoolYear}</dd>
        <dt>Mã lớp</dt>
        <dd class="code">{cls.code}</dd>
      </dl>

      <h2>Danh sách học sinh</h2>
      {view.pupils === null ? (
        <p>Lớp có {view.rosterCount} học sinh trong danh sách. Tên học sinh chỉ giáo viên của lớp và ban giám hiệu xem được.</p>
      ) : view.pupils.length === 0 ? (
        <p>Lớp chưa có danh sách học sinh. Khi có danh sách, tên phụ huynh và học sinh gõ lúc ký cam kết được đối chiếu với danh sách này.</p>
      ) : (
        <DataTable caption={`Danh sách lớp ${cls.name} (${view.pupils.length} học sinh)`} head={['STT', 'Họ và tên']}>
          {view.pupils.map((p, i) => (
            <tr>
              <td>{i + 1}</td>
              <td>{p.name}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <p>
        <a class="button" href={`${base}/roster`}>
          Nhập danh sách từ tệp Excel hoặc CSV
        </a>
      </p>

      <h2>Mời phụ huynh, học sinh vào lớp</h2>
      <p>
        Phụ huynh và học sinh quét mã QR (hoặc bấm liên kết), rồi làm theo hướng dẫn trong chat. Ai chưa quét được có thể nhắn mã lớp <strong class="code">{cls.code}</strong> cho trang
        của chương trình.
      </p>
      <div class="join-links">
        <section class="join-card" aria-labelledby="join-messenger">
          <h3 id="join-messenger">Messenger (học sinh)</h3>
          {links.messenger ? (
            <>
              <img class="qr" src={`${base}/qr/messenger.svg`} alt={`Mã QR mở Messenger vào lớp ${cls.name}`} width={240} height={240} />
              <p>
                <a href={links.messenger.url} rel="noopener noreferrer">
                  {links.messenger.url}
                </a>
              </p>
              <p>Liên kết mang sẵn mã lớp: học sinh chỉ cần chọn vai trò là vào đúng lớp.</p>
              <p>
                <a href={`${base}/qr/messenger.png`}>Tải mã QR (PNG, để in)</a> · <a href={`${base}/qr/messenger.svg`}>SVG</a>
              </p>
            </>
          ) : (
            <Notice kind="info">Kênh Messenger chưa được bật trên máy chủ này nên chưa có liên kết.</Notice>
          )}
        </section>
        <section class="join-card" aria-labelledby="join-zalo">
          <h3 id="join-zalo">Zalo (phụ huynh)</h3>
          {links.zalo ? (
            <>
              <img class="qr" src={`${base}/qr/zalo.svg`} alt={`Mã QR mở trang Zalo của chương trình (lớp ${cls.name})`} width={240} height={240} />
              <p>
                <a href={links.zalo.url} rel="noopener noreferrer">
                  {links.zalo.url}
                </a>
              </p>
              <p>{links.zalo.instructions}</p>
              <p>
                <a href={`${base}/qr/zalo.png`}>Tải mã QR (PNG, để in)</a> · <a href={`${base}/qr/zalo.svg`}>SVG</a>
              </p>
            </>
          ) : (
            <Notice kind="info">Kênh Zalo chưa được bật trên máy chủ này nên chưa có liên kết.</Notice>
          )}
        </section>
      </div>

      {view.canManage && (
        <section aria-labelledby="teacher-code">
          <h2 id="teacher-code">Mã giáo viên của lớp</h2>
          <p>
            Giáo viên chủ nhiệm gửi “GV &lt;mã&gt;” cho trang Zalo/Messenger của chương trình để được xác nhận là giáo viên lớp {cls.name}. Mỗi mã dùng một lần.
          </p>
          {invite && 'code' in invite && (
            <Notice kind="success">
              <p>
                Mã giáo viên lớp {cls.name}: <strong class="code">{invite.code}</strong>
              </p>
              <p>
                Giáo viên gửi <strong class="code">GV {invite.code.replace(/^GV-/, '')}</strong> cho trang của chương trình.
              </p>
              <p class="hint">Mã chỉ hiện một lần (hệ thống không lưu mã), hết hạn lúc {formatVnDateTime(invite.expiresAt)} (giờ Việt Nam).</p>
            </Notice>
          )}
          {invite && 'error' in invite && <Notice kind="error">{invite.error}</Notice>}
          <PostForm action={`${base}/invites`} csrfToken={ctx.csrfToken} class="stack narrow">
            <TextField name="days" label="Số ngày hiệu lực" type="number" value={String(DEFAULT_INVITE_DAYS)} hint={`Từ 1 đến ${MAX_INVITE_DAYS} ngày.`} />
            <button type="submit">Tạo mã giáo viên</button>
          </PostForm>
        </section>
      )}

      {view.canManage && (
        <section aria-labelledby="edit-class">
          <h2 id="edit-class">Sửa thông tin lớp</h2>
          <FormErrors errors={ee} fields={['name', 'grade']} />
          <PostForm action={base} csrfToken={ctx.csrfToken} class="stack narrow">
            <TextField name="name" label="Tên lớp" value={ev.name} error={ee.name} maxLength={30} required />
            <TextField name="grade" label="Khối lớp" type="number" value={ev.grade} error={ee.grade} hint="Từ 1 đến 12; 0 là mầm non." required />
            <p class="hint">Mã lớp {cls.code} không đổi: mã QR đã in vẫn dùng được.</p>
            <button type="submit">Lưu</button>
          </PostForm>
        </section>
      )}
    </Layout>
  );
}

async function classOr404(ctx: StaffContext): Promise<ClassView | null> {
  const out = await ctx.deps.schools.viewClass(ctx.scope, ctx.params.classId ?? '');
  return out.ok ? out.view : null;
}

/** `/admin/classes/:classId`: a class, its roster, join links and QR codes, teacher codes and editing. */
export const classRoutes = [
  defineRoute({
    method: 'GET',
    path: '/admin/classes/:classId',
    access: SCHOOL_READERS,
    async handler(ctx) {
      const view = await classOr404(ctx);
      return view ? page(<ClassPage ctx={ctx} view={view} />) : notFound();
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/admin/classes/:classId',
    access: ['admin', 'school_admin'],
    async handler(ctx) {
      const view = await classOr404(ctx);
      if (!view) return notFound();
      const form = parseInput(ClassForm, ctx.body);
      if (!form.ok) return page(<ClassPage ctx={ctx} view={view} edit={{ values: {}, errors: form.errors }} />, { status: 400 });
      const { name, grade } = form.data;
      const out = await ctx.deps.schools.updateClass(ctx.scope, view.class.id, { name: name ?? '', grade: gradeOf(grade) }, ctx.now);
      if (out.ok) return redirect(`/admin/classes/${encodeURIComponent(out.class.id)}?saved=updated`);
      if (out.reason === 'not_found') return notFound();
      if (!('errors' in out)) throw new AppError('forbidden', { message: 'may not change this class' });
      return page(<ClassPage ctx={ctx} view={view} edit={{ values: form.data, errors: errorsByField(out.errors) }} />, { status: 400 });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/admin/classes/:classId/invites',
    access: ['admin', 'school_admin'],
    async handler(ctx) {
      const view = await classOr404(ctx);
      if (!view) return notFound();
      const form = parseInput(InviteForm, ctx.body);
      const typed = form.ok ? (form.data.days ?? '').trim() : 'x';
      const days = typed === '' ? DEFAULT_INVITE_DAYS : /^\d{1,3}$/.test(typed) ? Number(typed) : Number.NaN;
      const out = await ctx.deps.schools.createInvite(ctx.scope, { classId: view.class.id, days, now: ctx.now });
      // The code is in this answer only (never stored in clear, never cached): a reload asks for a new one.
      if (out.ok) return page(<ClassPage ctx={ctx} view={view} invite={{ code: out.code, expiresAt: out.expiresAt }} />);
      if (out.reason === 'not_found') return notFound();
      if (!('message' in out)) throw new AppError('forbidden', { message: 'may not make teacher codes for this class' });
      return page(<ClassPage ctx={ctx} view={view} invite={{ error: out.message }} />, { status: out.reason === 'invalid_days' ? 400 : 409 });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/admin/classes/:classId/qr/:file',
    access: SCHOOL_READERS,
    async handler(ctx) {
      const m = QR_FILE.exec(ctx.params.file ?? '');
      if (!m) return notFound();
      const channel = m[1] as 'messenger' | 'zalo';
      const format = m[2] as 'svg' | 'png';
      const out = await ctx.deps.schools.qr(ctx.scope, ctx.params.classId ?? '', { channel, format });
      if (!out.ok) return notFound();
      return download(`ma-qr-lop-${channel}.${format}`, out.contentType, out.body);
    },
  }),
];
