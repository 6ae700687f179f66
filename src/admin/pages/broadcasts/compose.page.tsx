import { createHash } from 'node:crypto';
import { z } from 'zod';
import { TOPIC_LABELS } from '../../../content/catalogue.js';
import type { ContentItem } from '../../../content/catalogue.schema.js';
import type { OutMessage } from '../../../content/messages.schema.js';
import { formatVnDateTime } from '../../../content/vn-time.js';
import type { AudienceRole, ReachForecast } from '../../../services/broadcasts/broadcast-types.js';
import { MAX_SCHEDULE_DAYS, type StaffBroadcastProblem, type StaffBroadcastRequest } from '../../../services/broadcasts/create-staff-broadcast.js';
import { STAFF_BROADCAST_TEXT_MAX } from '../../../services/broadcasts/staff-broadcast-messages.js';
import type { StaffBroadcastTargets } from '../../../services/broadcasts/staff-broadcast-targets.js';
import { parseInput } from '../../http/parse-input.js';
import { defineRoute, notFound, page, redirect, type StaffContext } from '../../route.js';
import { chromeOf } from '../../views/chrome.js';
import { DataTable, Notice, PostForm } from '../../views/components.js';
import { Layout } from '../../views/layout.js';
import { ChatPreview } from '../content/chat-preview.js';
import { CheckboxField, ChoiceGroup, formCheckbox, formChoices, formText, Radio, SelectField, TextAreaField } from '../schools/form-fields.js';
import { channelLabel, ROLE_LABELS, unreachableLabel } from './broadcast-labels.js';

/** Who composes broadcasts in the console (tip handlers have only tips). */
export const BROADCASTERS = ['admin', 'school_admin', 'teacher'] as const;

const VN_OFFSET_MS = 7 * 3600_000;
const ROLE_VALUES: readonly AudienceRole[] = ['parent', 'student', 'teacher', 'staff'];

const ComposeForm = z.object({
  schools: formChoices(200),
  classes: formChoices(2000),
  roles: formChoices(4),
  onlyUnpledged: formCheckbox,
  includeGroups: formCheckbox,
  source: z.enum(['text', 'item'], 'Chọn nội dung: tự soạn hoặc tin có sẵn.').optional(),
  text: formText(20_000),
  item: formText(100),
  when: z.enum(['now', 'later'], 'Chọn gửi ngay hoặc hẹn giờ.').optional(),
  date: formText(20),
  time: formText(20),
  classesOf: formText(64),
  draft: formText(100),
});
type ComposeValues = z.infer<typeof ComposeForm>;

const EMPTY: ComposeValues = { schools: [], classes: [], roles: ['parent', 'student'], onlyUnpledged: false, includeGroups: false, source: 'text', when: 'now' };

/** Where each problem of the service is shown, and what it says. */
const PROBLEMS: Record<Exclude<StaffBroadcastProblem, 'not_found'>, [field: string, message: string]> = {
  role_not_allowed: ['roles', 'Tài khoản của bạn không gửi được cho đối tượng đã chọn.'],
  empty_audience: ['audience', 'Chọn ít nhất một trường hoặc lớp, và ít nhất một đối tượng nhận (hoặc gửi vào nhóm Zalo lớp).'],
  in_past: ['when', 'Thời điểm gửi đã qua. Chọn một thời điểm sau bây giờ (giờ Việt Nam).'],
  too_far: ['when', `Chỉ hẹn giờ được trong vòng ${MAX_SCHEDULE_DAYS} ngày tới.`],
  no_text: ['text', 'Vui lòng nhập nội dung thông báo.'],
  text_too_long: ['text', `Nội dung dài quá ${STAFF_BROADCAST_TEXT_MAX.toLocaleString('vi-VN')} ký tự.`],
  item_not_sendable: ['item', 'Tin này đang chờ kiểm tra hoặc không dành cho đối tượng đã chọn: hãy chọn tin khác.'],
  unpledged_needs_pupils: ['onlyUnpledged', '“Chỉ người chưa ký cam kết” chỉ dùng khi gửi cho phụ huynh hoặc học sinh.'],
};

type Errors = Record<string, string>;
type Preview = { messages: OutMessage[]; forecast: ReachForecast; draft: string; sendAt: Date | null };

/** A Vietnam wall-clock date and time ("2026-12-02", "07:30") as an instant, or null when it is not a real one. */
export function vnDateTime(date: string, time: string): Date | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date.trim());
  const t = /^(\d{1,2}):(\d{2})$/.exec(time.trim());
  if (!d || !t) return null;
  const [y, mo, da, h, mi] = [Number(d[1]), Number(d[2]), Number(d[3]), Number(t[1]), Number(t[2])];
  if (h > 23 || mi > 59) return null;
  const at = new Date(Date.UTC(y, mo - 1, da, h, mi) - VN_OFFSET_MS);
  const back = new Date(at.getTime() + VN_OFFSET_MS);
  return back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === da ? at : null;
}

/** The form's draft as the service takes it, or the form's own problems. */
function requestOf(ctx: StaffContext, v: ComposeValues): { ok: true; req: StaffBroadcastRequest } | { ok: false; errors: Errors } {
  const errors: Errors = {};
  const roles = v.roles.filter((r): r is AudienceRole => (ROLE_VALUES as readonly string[]).includes(r));
  if (roles.length !== v.roles.length) errors.roles = 'Đối tượng nhận không hợp lệ.';
  let sendAt = ctx.now;
  if ((v.when ?? 'now') === 'later') {
    const at = v.date && v.time ? vnDateTime(v.date, v.time) : null;
    if (!v.date || !v.time) errors.when = 'Chọn ngày và giờ gửi (giờ Việt Nam).';
    else if (!at) errors.when = 'Ngày giờ gửi không hợp lệ.';
    else sendAt = at;
  }
  let content: StaffBroadcastRequest['content'] = { text: v.text ?? '' };
  if ((v.source ?? 'text') === 'item') {
    const item = v.item ? ctx.deps.content.catalogue.get(v.item) : undefined;
    if (!item) errors.item = 'Chọn một tin trong danh sách.';
    else content = { item };
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    req: { audience: { schoolIds: v.schools, classIds: v.classes, roles, onlyUnpledged: v.onlyUnpledged, includeGroups: v.includeGroups }, content, sendAt, now: ctx.now },
  };
}

/**
 * A fingerprint of the composed draft: "Gửi" is accepted only for the draft whose preview and forecast were shown
 * (a changed field sends the person back to the preview). Not a secret: it proves nothing but that the page was seen.
 */
function draftDigest(v: ComposeValues): string {
  const sorted = (xs: readonly string[]) => [...new Set(xs)].sort();
  const when = (v.when ?? 'now') === 'later' ? `${v.date ?? ''} ${v.time ?? ''}` : 'now';
  const source = v.source ?? 'text';
  const body = [sorted(v.schools), sorted(v.classes), sorted(v.roles), v.onlyUnpledged, v.includeGroups, source, source === 'text' ? (v.text ?? '').trim() : (v.item ?? ''), when];
  return createHash('sha256').update(JSON.stringify(body)).digest('base64url');
}

function sendableItems(ctx: StaffContext): ContentItem[] {
  return ctx.deps.content.catalogue.items().filter((i) => !i.needsReview);
}

function Forecast(props: { forecast: ReachForecast; includeGroups: boolean }) {
  const f = props.forecast;
  const channels = Object.entries(f.byChannel);
  return (
    <section aria-labelledby="forecast">
      <h2 id="forecast">Dự báo số người nhận</h2>
      <p class="lead">{f.people} người trong nhóm nhận.</p>
      {channels.length > 0 ? (
        <DataTable caption="Dự báo theo kênh" head={['Kênh', 'Nhận ngay', 'Nhận sau (giờ nghỉ Zalo 22:00–06:00)', 'Chỉ qua nhóm Zalo lớp', 'Không nhận được (lý do)']}>
          {channels.map(([channel, r]) => (
            <tr>
              <td>{channelLabel(channel)}</td>
              <td>{r.reachableNow}</td>
              <td>{r.reachableLater}</td>
              <td>{r.onlyThroughGroup}</td>
              <td>
                {Object.entries(r.notReachable).length === 0
                  ? '0'
                  : Object.entries(r.notReachable)
                      .map(([reason, n]) => `${n} ${unreachableLabel(reason)}`)
                      .join('; ')}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <Notice kind="warning">Chưa có ai trong nhóm nhận này đã kết nối với trang Zalo hoặc Messenger của chương trình.</Notice>
      )}
      {props.includeGroups && (
        <p>
          Nhóm Zalo lớp: {f.groups.healthy} nhóm sẽ nhận; {f.groups.unhealthy} nhóm không gửi được (bỏ qua, có ghi lý do).
        </p>
      )}
      <p class="hint">Người ngoài thời hạn nhắn tin (Messenger 24 giờ, Zalo 7 ngày) vẫn nhận được nếu họ nhắn lại cho trang trong thời gian chiến dịch.</p>
    </section>
  );
}

async function ComposePage(props: { ctx: StaffContext; values: ComposeValues; errors?: Errors; preview?: Preview; notice?: string; status?: number }) {
  const { ctx, values: v, errors = {}, preview } = props;
  const targets: StaffBroadcastTargets = await ctx.deps.broadcasts.targets(ctx.scope, { classesOf: v.classesOf });
  const items = sendableItems(ctx);
  const many = targets.schools.length > 1 && ctx.scope.role !== 'teacher';
  const checked = (xs: readonly string[], id: string) => xs.includes(id);
  return (
    <Layout title="Soạn thông báo" chrome={chromeOf(ctx)}>
      <p>
        <a href="/admin/broadcasts">← Các thông báo</a>
      </p>
      {props.notice && <Notice kind="warning">{props.notice}</Notice>}
      {Object.keys(errors).length > 0 && (
        <Notice kind="error">
          <p>Chưa gửi được: vui lòng sửa các mục được đánh dấu.</p>
          {Object.entries(errors)
            .filter(([k]) => !['audience', 'roles', 'text', 'item', 'when', 'onlyUnpledged', 'schools', 'classes'].includes(k))
            .map(([, m]) => (
              <p>{m}</p>
            ))}
        </Notice>
      )}
      {many && (
        <form method="get" action="/admin/broadcasts/new" class="filters">
          <SelectField
            name="school"
            id="f-classesOf-pick"
            label="Gửi cho từng lớp của trường"
            options={[{ value: '', label: 'Chọn trường để hiện các lớp' }, ...targets.schools.map((s) => ({ value: s.id, label: s.name }))]}
            value={targets.classesOf ?? ''}
          />
          <button type="submit" class="button-secondary">
            Hiện các lớp
          </button>
        </form>
      )}
      <PostForm action="/admin/broadcasts/preview" csrfToken={ctx.csrfToken} class="stack">
        {targets.classesOf && <input type="hidden" name="classesOf" value={targets.classesOf} />}
        <ChoiceGroup legend="Gửi tới" name="audience" error={errors.audience ?? errors.schools ?? errors.classes}>
          {targets.schools
            .filter((s) => s.wholeSchool)
            .map((s) => (
              <CheckboxField name="schools" id={`f-school-${s.id}`} value={s.id} label={`Cả trường: ${s.name}`} checked={checked(v.schools, s.id)} />
            ))}
          {targets.classes.map((c) => (
            <CheckboxField name="classes" id={`f-class-${c.id}`} value={c.id} label={`Lớp ${c.name} – ${c.schoolName}${c.schoolYear ? ` (${c.schoolYear})` : ''}`} checked={checked(v.classes, c.id)} />
          ))}
          {targets.schools.length === 0 && targets.classes.length === 0 && <p>Tài khoản của bạn chưa được giao trường hay lớp nào.</p>}
        </ChoiceGroup>
        <ChoiceGroup legend="Người nhận" name="roles" error={errors.roles}>
          {targets.roles.map((r) => (
            <CheckboxField name="roles" id={`f-role-${r}`} value={r} label={ROLE_LABELS[r]} checked={checked(v.roles, r)} />
          ))}
        </ChoiceGroup>
        <div class={errors.onlyUnpledged ? 'field-error' : undefined}>
          {errors.onlyUnpledged && <p class="error">{errors.onlyUnpledged}</p>}
          <CheckboxField name="onlyUnpledged" label="Chỉ phụ huynh, học sinh chưa ký cam kết (kèm nút “Ký cam kết ngay”)" checked={v.onlyUnpledged} />
        </div>
        <CheckboxField name="includeGroups" label="Gửi cả vào nhóm Zalo của các lớp" checked={v.includeGroups} hint="Nhóm không có nút bấm: nút được đổi thành danh sách đánh số." />
        <ChoiceGroup legend="Nội dung" name="source">
          <Radio name="source" value="text" label="Tự soạn" checked={(v.source ?? 'text') === 'text'} />
          <Radio name="source" value="item" label="Gửi một tin có sẵn (đã kiểm tra)" checked={v.source === 'item'} />
        </ChoiceGroup>
        <TextAreaField
          name="text"
          label="Nội dung tự soạn"
          value={v.text}
          error={errors.text}
          maxLength={STAFF_BROADCAST_TEXT_MAX}
          hint={`Tối đa ${STAFF_BROADCAST_TEXT_MAX.toLocaleString('vi-VN')} ký tự. Hệ thống thêm dòng người gửi và cách dừng nhận tin ở cuối.`}
        />
        <SelectField
          name="item"
          label="Tin có sẵn"
          options={[{ value: '', label: 'Chọn tin' }, ...items.map((i) => ({ value: i.id, label: `${TOPIC_LABELS[i.topic].vi}: ${i.title}` }))]}
          value={v.item}
          error={errors.item}
        />
        <ChoiceGroup legend="Thời điểm gửi (giờ Việt Nam)" name="when" error={errors.when}>
          <Radio name="when" value="now" label="Gửi ngay" checked={(v.when ?? 'now') === 'now'} />
          <Radio name="when" value="later" label="Hẹn giờ" checked={v.when === 'later'} />
          <div class="filters">
            <div class="field">
              <label for="f-date">Ngày</label>
              <input id="f-date" type="date" name="date" value={v.date ?? ''} />
            </div>
            <div class="field">
              <label for="f-time">Giờ</label>
              <input id="f-time" type="time" name="time" value={v.time ?? ''} />
            </div>
          </div>
          <p class="hint">Zalo không gửi tin từ 22:00 đến 06:00: tin hẹn trong giờ đó được gửi lúc 06:00.</p>
        </ChoiceGroup>
        <button type="submit" class="button-secondary">
          Xem trước và dự báo
        </button>
      </PostForm>

      {preview && (
        <>
          <h2 id="preview">Xem trước</h2>
          <p>{preview.sendAt ? `Hẹn gửi lúc ${formatVnDateTime(preview.sendAt)} (giờ Việt Nam).` : 'Gửi ngay sau khi bấm Gửi.'}</p>
          <div class="previews">
            <ChatPreview messages={preview.messages} channel="zalo" id="preview-zalo" />
            <ChatPreview messages={preview.messages} channel="messenger" id="preview-messenger" />
            {v.includeGroups && <ChatPreview messages={preview.messages} channel="zalo_group" id="preview-group" />}
          </div>
          <Forecast forecast={preview.forecast} includeGroups={v.includeGroups} />
          <PostForm action="/admin/broadcasts" csrfToken={ctx.csrfToken} class="stack">
            <HiddenDraft values={v} />
            <input type="hidden" name="draft" value={preview.draft} />
            <button type="submit">{preview.sendAt ? 'Hẹn giờ gửi thông báo' : 'Gửi thông báo'}</button>
          </PostForm>
        </>
      )}
    </Layout>
  );
}

/** The composed draft again as hidden fields, for "Gửi" (the same names as the compose form). */
function HiddenDraft(props: { values: ComposeValues }) {
  const v = props.values;
  const hidden = (name: string, value: string) => <input type="hidden" name={name} value={value} />;
  return (
    <>
      {v.schools.map((s) => hidden('schools', s))}
      {v.classes.map((c) => hidden('classes', c))}
      {v.roles.map((r) => hidden('roles', r))}
      {v.onlyUnpledged && hidden('onlyUnpledged', 'on')}
      {v.includeGroups && hidden('includeGroups', 'on')}
      {hidden('source', v.source ?? 'text')}
      {v.text !== undefined && hidden('text', v.text)}
      {v.item !== undefined && hidden('item', v.item)}
      {hidden('when', v.when ?? 'now')}
      {v.date !== undefined && hidden('date', v.date)}
      {v.time !== undefined && hidden('time', v.time)}
      {v.classesOf !== undefined && hidden('classesOf', v.classesOf)}
    </>
  );
}

/** Reads the compose form, then asks the services; the outcome as a page (never stored unless `store`). */
async function handleCompose(ctx: StaffContext, store: boolean) {
  const form = parseInput(ComposeForm, ctx.body);
  if (!form.ok) return page(await ComposePage({ ctx, values: EMPTY, errors: form.errors }), { status: 400 });
  const v = form.data;
  const built = requestOf(ctx, v);
  if (!built.ok) return page(await ComposePage({ ctx, values: v, errors: built.errors }), { status: 400 });
  const { req } = built;
  const draft = draftDigest(v);
  const sendAt = (v.when ?? 'now') === 'later' ? req.sendAt : null;
  const shown = await ctx.deps.broadcasts.forecast(ctx.scope, req);
  if (!shown.ok) {
    if (shown.reason === 'not_found') return notFound();
    const [field, message] = PROBLEMS[shown.reason];
    return page(await ComposePage({ ctx, values: v, errors: { [field]: message } }), { status: 400 });
  }
  if (!store || v.draft !== draft) {
    const notice = store ? 'Nội dung hoặc người nhận đã thay đổi so với bản xem trước: hãy xem lại bản xem trước và dự báo bên dưới rồi bấm Gửi.' : undefined;
    return page(await ComposePage({ ctx, values: v, preview: { messages: shown.messages, forecast: shown.forecast, draft, sendAt }, ...(notice ? { notice } : {}) }), { status: store ? 409 : 200 });
  }
  const out = await ctx.deps.broadcasts.create(ctx.scope, req);
  if (out.ok) return redirect(`/admin/broadcasts/${encodeURIComponent(out.broadcast.id)}?saved=created`);
  if (out.reason === 'not_found') return notFound();
  const [field, message] = PROBLEMS[out.reason];
  return page(await ComposePage({ ctx, values: v, errors: { [field]: message } }), { status: 400 });
}

const NewQuery = z.object({ school: formText(64) });

/** Compose: the form, then its preview on each channel with the reach forecast, then "Gửi". */
export const composeRoutes = [
  defineRoute({
    method: 'GET',
    path: '/admin/broadcasts/new',
    access: BROADCASTERS,
    async handler(ctx) {
      const q = parseInput(NewQuery, ctx.query);
      const classesOf = q.ok && q.data.school ? q.data.school : undefined;
      return page(await ComposePage({ ctx, values: { ...EMPTY, ...(classesOf ? { classesOf } : {}) } }));
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/admin/broadcasts/preview',
    access: BROADCASTERS,
    handler: (ctx) => handleCompose(ctx, false),
  }),
  defineRoute({
    method: 'POST',
    path: '/admin/broadcasts',
    access: BROADCASTERS,
    handler: (ctx) => handleCompose(ctx, true),
  }),
];

