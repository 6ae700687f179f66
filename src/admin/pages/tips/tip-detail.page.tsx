import { z } from 'zod';
import { TIP_CATEGORIES, TIP_OUTCOMES, TIP_STATUSES } from '../../../content/tip-categories.js';
import type { ConsoleTipDetail, TipConsoleRefusal } from '../../../services/tips/console-tip-types.js';
import { parseInput } from '../../http/parse-input.js';
import { defineRoute, inlineFile, notFound, page, redirect, type Reply, type StaffContext } from '../../route.js';
import { chromeOf } from '../../views/chrome.js';
import { Notice, PostForm } from '../../views/components.js';
import { Layout } from '../../views/layout.js';
import { SelectField, TextAreaField } from './fields.js';
import { categoryLabel, formatTipHour, OUTCOME_LABELS, outcomeLabel, STATUS_LABELS, statusLabel } from './tip-labels.js';
import { TIP_ROLES } from './tips-list.page.js';

const MAX_REPLY = 2000;
const MAX_NOTE = 4000;
const ID = /^[0-9A-Za-z-]{1,64}$/;
const NO_SCHOOL = 'none';

/** The forms of the detail page (each posts to its own route). */
type FormName = 'triage' | 'reply' | 'note' | 'close' | 'acknowledge';

/** A form sent back with its problems and what was typed. */
interface FormProblem {
  form: FormName;
  errors: Record<string, string>;
  values: Record<string, string>;
}

const DONE_NOTICES: Record<string, string> = {
  triaged: 'Đã lưu phân loại tin báo.',
  unchanged: 'Không có gì thay đổi.',
  replied_chat: 'Đã lưu câu trả lời và báo cho người gửi qua chat rằng có trả lời mới (thông báo không kèm mã hay nội dung). Họ đọc câu trả lời khi tra cứu bằng mã tin báo và PIN.',
  replied_lookup: 'Đã lưu câu trả lời. Người gửi không nhận trả lời qua chat, nên họ sẽ thấy câu trả lời khi tự tra cứu bằng mã tin báo và PIN.',
  noted: 'Đã lưu ghi chú nội bộ. Người báo tin không bao giờ thấy ghi chú này.',
  closed: 'Đã đóng tin báo. Đường trả lời qua chat (nếu có) đã được xoá; người gửi vẫn tra cứu được trạng thái và các câu trả lời.',
  acknowledged: 'Đã xác nhận tin khẩn. Hệ thống ngừng nhắc các cán bộ khác về tin này.',
  already_acknowledged: 'Tin khẩn này đã được một cán bộ khác xác nhận trước đó.',
};

const REFUSALS: Record<Exclude<TipConsoleRefusal, 'not_found'>, { message: string; status: number }> = {
  closed: { message: 'Tin báo đã đóng nên không thay đổi được nữa.', status: 409 },
  invalid: { message: 'Dữ liệu gửi lên không hợp lệ. Bạn kiểm tra lại rồi thử lại.', status: 400 },
  school_out_of_scope: { message: 'Trường đã chọn không thuộc phạm vi của bạn.', status: 400 },
  not_urgent: { message: 'Tin báo này không phải tin khẩn cấp nên không cần xác nhận.', status: 400 },
};

function Facts(props: { tip: ConsoleTipDetail }) {
  const { tip } = props;
  return (
    <dl class="facts">
      <dt>Mã tin báo</dt>
      <dd class="code">{tip.code}</dd>
      <dt>Lĩnh vực</dt>
      <dd>{categoryLabel(tip.category)}</dd>
      <dt>Mức độ</dt>
      <dd>{tip.urgent ? (tip.acknowledgedAt ? `Khẩn cấp, đã xác nhận (${formatTipHour(tip.acknowledgedAt)})` : 'Khẩn cấp, chưa ai xác nhận') : 'Thường'}</dd>
      <dt>Trường</dt>
      <dd>{tip.schoolName ?? (tip.schoolId ? 'Trường không còn trong hệ thống' : 'Chưa rõ trường')}</dd>
      <dt>Trạng thái</dt>
      <dd>{tip.status === 'closed' && tip.outcome ? `${statusLabel(tip.status)}: ${outcomeLabel(tip.outcome)}` : statusLabel(tip.status)}</dd>
      <dt>Nhận lúc</dt>
      <dd>{formatTipHour(tip.createdAt)}</dd>
      {tip.closedAt && (
        <>
          <dt>Đóng lúc</dt>
          <dd>{formatTipHour(tip.closedAt)}</dd>
        </>
      )}
      <dt>Trả lời người báo tin</dt>
      <dd>
        {tip.canReply
          ? 'Người gửi đồng ý nhận thông báo qua chat: khi bạn trả lời, họ được báo là có trả lời mới.'
          : 'Người gửi không nhận thông báo qua chat: họ chỉ thấy câu trả lời khi tự tra cứu bằng mã tin báo và PIN.'}
      </dd>
    </dl>
  );
}

const unreadableText = <em>Không giải mã được phần này (khoá mã hoá có thể đã thay đổi). Bạn báo quản trị hệ thống.</em>;

async function DetailView(props: { ctx: StaffContext; tip: ConsoleTipDetail; done?: string | undefined; problem?: FormProblem }) {
  const { ctx, tip, problem } = props;
  const err = (form: FormName, field: string) => (problem?.form === form ? problem.errors[field] : undefined);
  const val = (form: FormName, field: string, fallback: string) => (problem?.form === form ? (problem.values[field] ?? fallback) : fallback);
  const closed = tip.status === 'closed';
  const schools = await ctx.deps.tipInbox.schools(ctx.scope);
  const schoolOptions = [
    ...(ctx.deps.tipInbox.seesUnassigned(ctx.scope) || tip.schoolId === null ? [{ value: NO_SCHOOL, label: 'Chưa rõ trường' }] : []),
    ...schools.map((s) => ({ value: s.id, label: s.name })),
  ];
  return (
    <Layout title={`Tin báo ${tip.code}`} chrome={chromeOf(ctx)}>
      <p>
        <a href="/admin/tips">← Về hộp tin báo</a>
      </p>
      {props.done && DONE_NOTICES[props.done] && <Notice kind="success">{DONE_NOTICES[props.done]}</Notice>}
      {problem && (
        <Notice kind="error">{problem.errors[''] ? `${problem.errors['']} Không có gì thay đổi.` : 'Chưa lưu được: bạn xem lại phần báo lỗi bên dưới. Không có gì thay đổi.'}</Notice>
      )}
      {tip.unreadable && <Notice kind="warning">Một phần của tin báo không giải mã được.</Notice>}
      <p class="hint">Lần mở tin này đã được ghi vào nhật ký hoạt động.</p>
      <Facts tip={tip} />
      {tip.urgent && !tip.acknowledgedAt && !closed && (
        <section aria-labelledby="h-ack" class="tip-ack">
          <h2 id="h-ack">Tin khẩn cấp chưa ai xác nhận</h2>
          <p>Nếu có người đang gặp nguy hiểm, gọi ngay 113 (công an), 114 (cứu hoả), 115 (cấp cứu) hoặc 111 (bảo vệ trẻ em).</p>
          <PostForm action={`/admin/tips/${tip.id}/acknowledge`} csrfToken={ctx.csrfToken}>
            <button type="submit">Đã nhận tin khẩn</button>
          </PostForm>
        </section>
      )}

      <h2>Nội dung tin báo</h2>
      <div class="tip-text">{tip.description ?? unreadableText}</div>
      {tip.place && (
        <>
          <h3>Địa điểm</h3>
          <div class="tip-text">{tip.place}</div>
        </>
      )}
      {tip.photos.length > 0 && (
        <>
          <h3>Ảnh kèm theo ({tip.photos.length})</h3>
          <p class="hint">Ảnh đã được xoá thông tin vị trí và thiết bị chụp trước khi lưu.</p>
          <ul class="tip-photos">
            {tip.photos.map((p, i) => (
              <li>
                <a href={`/admin/tips/${tip.id}/photos/${p.id}`}>
                  <img src={`/admin/tips/${tip.id}/photos/${p.id}`} alt={`Ảnh ${i + 1} của tin báo ${tip.code}`} />
                </a>
              </li>
            ))}
          </ul>
        </>
      )}

      <h2>Trao đổi với người báo tin</h2>
      {tip.thread.length === 0 ? (
        <p>Chưa có trao đổi nào.</p>
      ) : (
        <ol class="tip-thread">
          {tip.thread.map((m) => (
            <li class={m.author === 'handler' ? 'tip-msg tip-msg-handler' : 'tip-msg'}>
              <p class="hint">
                {m.author === 'handler' ? 'Cán bộ trả lời' : 'Người báo tin bổ sung'} · {formatTipHour(m.at)}
              </p>
              <div class="tip-text">{m.text ?? unreadableText}</div>
            </li>
          ))}
        </ol>
      )}
      <PostForm action={`/admin/tips/${tip.id}/reply`} csrfToken={ctx.csrfToken} class="stack">
        <TextAreaField
          name="text"
          id="f-reply-text"
          label="Trả lời người báo tin"
          hint={`Người báo tin đọc được câu trả lời này. Đừng ghi tên người hay chi tiết điều tra. Tối đa ${MAX_REPLY} ký tự.`}
          value={val('reply', 'text', '')}
          error={err('reply', 'text')}
          maxLength={MAX_REPLY}
        />
        <button type="submit">Gửi trả lời</button>
      </PostForm>

      <h2>Ghi chú nội bộ</h2>
      <p class="hint">Chỉ cán bộ xử lý thấy; người báo tin không bao giờ thấy ghi chú.</p>
      {tip.notes.length === 0 ? (
        <p>Chưa có ghi chú.</p>
      ) : (
        <ol class="tip-thread">
          {tip.notes.map((n) => (
            <li class="tip-msg tip-msg-note">
              <p class="hint">
                {n.by ?? 'Tài khoản đã xoá'} · {formatTipHour(n.at)}
              </p>
              <div class="tip-text">{n.text ?? unreadableText}</div>
            </li>
          ))}
        </ol>
      )}
      <PostForm action={`/admin/tips/${tip.id}/notes`} csrfToken={ctx.csrfToken} class="stack">
        <TextAreaField name="text" id="f-note-text" label="Thêm ghi chú nội bộ" hint={`Tối đa ${MAX_NOTE} ký tự.`} value={val('note', 'text', '')} error={err('note', 'text')} maxLength={MAX_NOTE} />
        <button type="submit">Lưu ghi chú</button>
      </PostForm>

      {!closed && (
        <>
          <h2>Phân loại</h2>
          <PostForm action={`/admin/tips/${tip.id}/triage`} csrfToken={ctx.csrfToken} class="stack narrow">
            <SelectField
              name="category"
              label="Lĩnh vực"
              value={val('triage', 'category', tip.category)}
              error={err('triage', 'category')}
              options={TIP_CATEGORIES.map((c) => ({ value: c, label: categoryLabel(c) }))}
            />
            <SelectField
              name="urgent"
              label="Mức độ"
              value={val('triage', 'urgent', tip.urgent ? 'yes' : 'no')}
              error={err('triage', 'urgent')}
              options={[
                { value: 'no', label: 'Thường' },
                { value: 'yes', label: 'Khẩn cấp' },
              ]}
            />
            <SelectField
              name="status"
              label="Trạng thái"
              value={val('triage', 'status', tip.status === 'new' ? 'triaged' : tip.status)}
              error={err('triage', 'status')}
              options={TIP_STATUSES.filter((s) => s !== 'closed').map((s) => ({ value: s, label: STATUS_LABELS[s] }))}
            />
            <SelectField
              name="school"
              label="Trường"
              hint="Chuyển tin báo cho một trường trong phạm vi của bạn."
              value={val('triage', 'school', tip.schoolId ?? NO_SCHOOL)}
              error={err('triage', 'school')}
              options={schoolOptions}
            />
            <button type="submit">Lưu phân loại</button>
          </PostForm>

          <h2>Đóng tin báo</h2>
          <PostForm action={`/admin/tips/${tip.id}/close`} csrfToken={ctx.csrfToken} class="stack narrow">
            <SelectField
              name="outcome"
              label="Kết quả xử lý"
              hint="Tin trêu đùa hay báo sai sự thật: chọn “tin rác”. Khi đóng, đường trả lời qua chat bị xoá."
              value={val('close', 'outcome', '')}
              error={err('close', 'outcome')}
              options={[{ value: '', label: 'Chọn kết quả' }, ...TIP_OUTCOMES.map((o) => ({ value: o, label: OUTCOME_LABELS[o] }))]}
            />
            <button type="submit">Đóng tin báo</button>
          </PostForm>
        </>
      )}
    </Layout>
  );
}

/** The detail page of a tip (its view audited by the service), or the 404 page outside the scope. */
async function showTip(ctx: StaffContext, opts: { done?: string; problem?: FormProblem; status?: number } = {}): Promise<Reply> {
  const id = ctx.params.id ?? '';
  if (!ID.test(id)) return notFound();
  const tip = await ctx.deps.tipInbox.open(ctx.scope, id, { staffId: ctx.staff.id, now: ctx.now });
  if (!tip) return notFound();
  return page(await DetailView({ ctx, tip, done: opts.done, ...(opts.problem ? { problem: opts.problem } : {}) }), opts.status ? { status: opts.status } : {});
}

/** Form values to show again (strings only, cut short: whatever was sent, it is only ever shown escaped). */
function typedValues(body: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v.slice(0, MAX_NOTE);
  return out;
}

/** Answers a refused action: 404 outside the scope, else the page with the reason by the form. */
function refused(ctx: StaffContext, form: FormName, reason: TipConsoleRefusal, field = ''): Promise<Reply> | Reply {
  if (reason === 'not_found') return notFound();
  const r = REFUSALS[reason];
  return showTip(ctx, { problem: { form, errors: { [field]: r.message }, values: typedValues(ctx.body) }, status: r.status });
}

function checkedId(ctx: StaffContext): string | null {
  const id = ctx.params.id ?? '';
  return ID.test(id) ? id : null;
}

const actor = (ctx: StaffContext) => ({ staffId: ctx.staff.id, now: ctx.now });

const text = (max: number, empty: string, tooLong: string) =>
  z
    .string(empty)
    .transform((v) => v.trim())
    .pipe(z.string().min(1, empty).max(max, tooLong));

const TriageSchema = z.object({
  category: z.enum(TIP_CATEGORIES, 'Vui lòng chọn một lĩnh vực trong danh sách.'),
  urgent: z.enum(['yes', 'no'], 'Vui lòng chọn mức độ.'),
  status: z.enum(['new', 'triaged', 'in_progress'], 'Vui lòng chọn một trạng thái trong danh sách.'),
  school: z.string('Vui lòng chọn trường.').min(1, 'Vui lòng chọn trường.').max(64, 'Trường không hợp lệ.').regex(/^[0-9A-Za-z-]+$/, 'Trường không hợp lệ.'),
});
const ReplySchema = z.object({ text: text(MAX_REPLY, 'Vui lòng nhập câu trả lời.', `Câu trả lời tối đa ${MAX_REPLY} ký tự.`) });
const NoteSchema = z.object({ text: text(MAX_NOTE, 'Vui lòng nhập ghi chú.', `Ghi chú tối đa ${MAX_NOTE} ký tự.`) });
const CloseSchema = z.object({ outcome: z.enum(TIP_OUTCOMES, 'Vui lòng chọn kết quả xử lý.') });
const DetailQuery = z.object({ done: z.string().max(40).optional() });

/** `/admin/tips/:id` and its forms: the tip decrypted (every view audited), triage, reply, notes, close, acknowledge. */
export const tipDetailRoutes = [
  defineRoute({
    method: 'GET',
    path: '/admin/tips/:id',
    access: TIP_ROLES,
    async handler(ctx) {
      const q = parseInput(DetailQuery, ctx.query);
      return showTip(ctx, q.ok && q.data.done ? { done: q.data.done } : {});
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/admin/tips/:id/photos/:photoId',
    access: TIP_ROLES,
    async handler(ctx) {
      const id = checkedId(ctx);
      const photoId = ctx.params.photoId ?? '';
      if (!id || !ID.test(photoId)) return notFound();
      const photo = await ctx.deps.tipInbox.photo(ctx.scope, id, photoId, actor(ctx));
      if (!photo) return notFound();
      // The image alone, nothing it could run or load; never cached (the console's no-store applies).
      return inlineFile(photo.mime, photo.data, { 'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'; sandbox", 'Content-Disposition': 'inline' });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/admin/tips/:id/triage',
    access: TIP_ROLES,
    async handler(ctx) {
      const id = checkedId(ctx);
      if (!id) return notFound();
      const f = parseInput(TriageSchema, ctx.body);
      if (!f.ok) return showTip(ctx, { problem: { form: 'triage', errors: f.errors, values: typedValues(ctx.body) }, status: 400 });
      const r = await ctx.deps.tipInbox.triage(
        ctx.scope,
        id,
        { category: f.data.category, urgent: f.data.urgent === 'yes', status: f.data.status, schoolId: f.data.school === NO_SCHOOL ? null : f.data.school },
        actor(ctx),
      );
      if (!r.ok) return refused(ctx, 'triage', r.reason, r.reason === 'school_out_of_scope' ? 'school' : '');
      return redirect(`/admin/tips/${id}?done=${r.changed.length ? 'triaged' : 'unchanged'}`);
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/admin/tips/:id/reply',
    access: TIP_ROLES,
    async handler(ctx) {
      const id = checkedId(ctx);
      if (!id) return notFound();
      const f = parseInput(ReplySchema, ctx.body);
      if (!f.ok) return showTip(ctx, { problem: { form: 'reply', errors: f.errors, values: typedValues(ctx.body) }, status: 400 });
      const r = await ctx.deps.tipInbox.reply(ctx.scope, id, f.data.text, actor(ctx));
      if (!r.ok) return refused(ctx, 'reply', r.reason, 'text');
      return redirect(`/admin/tips/${id}?done=${r.notified ? 'replied_chat' : 'replied_lookup'}`);
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/admin/tips/:id/notes',
    access: TIP_ROLES,
    async handler(ctx) {
      const id = checkedId(ctx);
      if (!id) return notFound();
      const f = parseInput(NoteSchema, ctx.body);
      if (!f.ok) return showTip(ctx, { problem: { form: 'note', errors: f.errors, values: typedValues(ctx.body) }, status: 400 });
      const r = await ctx.deps.tipInbox.addNote(ctx.scope, id, f.data.text, actor(ctx));
      if (!r.ok) return refused(ctx, 'note', r.reason, 'text');
      return redirect(`/admin/tips/${id}?done=noted`);
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/admin/tips/:id/close',
    access: TIP_ROLES,
    async handler(ctx) {
      const id = checkedId(ctx);
      if (!id) return notFound();
      const f = parseInput(CloseSchema, ctx.body);
      if (!f.ok) return showTip(ctx, { problem: { form: 'close', errors: f.errors, values: typedValues(ctx.body) }, status: 400 });
      const r = await ctx.deps.tipInbox.close(ctx.scope, id, f.data.outcome, actor(ctx));
      if (!r.ok) return refused(ctx, 'close', r.reason);
      return redirect(`/admin/tips/${id}?done=closed`);
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/admin/tips/:id/acknowledge',
    access: TIP_ROLES,
    async handler(ctx) {
      const id = checkedId(ctx);
      if (!id) return notFound();
      const r = await ctx.deps.tipInbox.acknowledge(ctx.scope, id, actor(ctx));
      if (!r.ok) return refused(ctx, 'acknowledge', r.reason);
      return redirect(`/admin/tips/${id}?done=${r.already ? 'already_acknowledged' : 'acknowledged'}`);
    },
  }),
];
