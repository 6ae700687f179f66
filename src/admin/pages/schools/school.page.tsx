import { z } from 'zod';
import { AppError } from '../../../errors.js';
import { schoolYearOf } from '../../../services/classes/school-year.js';
import type { SchoolPageResult } from '../../../services/schools/console-schools.js';
import { parseInput } from '../../http/parse-input.js';
import { defineRoute, notFound, page, redirect, type StaffContext } from '../../route.js';
import { chromeOf } from '../../views/chrome.js';
import { DataTable, PostForm, TextField } from '../../views/components.js';
import { Layout } from '../../views/layout.js';
import { CheckboxField, errorsByField, FormErrors, formCheckbox, formText } from './form-fields.js';
import { gradeLabel, levelLabel } from './school-labels.js';
import { savedNotice, SCHOOL_READERS } from './schools.page.js';

type SchoolPage = Extract<SchoolPageResult, { ok: true }>;

const SchoolForm = z.object({ name: formText(1000), broadcastNeedsApproval: formCheckbox });
// The class form's name field is `className`: the page's other form has a `name` (ids must stay unique).
const ClassForm = z.object({ className: formText(1000), grade: formText(20), schoolYear: formText(40) });

type FormState = { values: Record<string, string | boolean | undefined>; errors: Record<string, string> };

const SAVED = { created: 'Đã thêm trường.', updated: 'Đã lưu thông tin trường.' };

function SchoolView(props: { ctx: StaffContext; data: SchoolPage; school?: FormState; cls?: FormState }) {
  const { ctx, data } = props;
  const { school, classes, canManage } = data;
  const sv = props.school?.values ?? { name: school.name, broadcastNeedsApproval: school.broadcastNeedsApproval };
  const se = props.school?.errors ?? {};
  const cv = props.cls?.values ?? {};
  const ce = props.cls?.errors ?? {};
  const base = `/admin/schools/${encodeURIComponent(school.id)}`;
  return (
    <Layout title={school.name} chrome={chromeOf(ctx)}>
      <p>
        <a href="/admin/schools">← Danh sách trường</a>
      </p>
      {savedNotice(ctx.query, SAVED)}
      <dl class="facts">
        <dt>Mã trường</dt>
        <dd class="code">{school.code}</dd>
        <dt>Cấp học</dt>
        <dd>{levelLabel(school.level)}</dd>
        <dt>Thông báo toàn trường</dt>
        <dd>{school.broadcastNeedsApproval ? 'Cần ban giám hiệu duyệt trước khi gửi' : 'Gửi ngay, không cần duyệt'}</dd>
      </dl>

      <h2>Các lớp</h2>
      {classes.length === 0 ? (
        <p>{ctx.scope.role === 'teacher' ? 'Bạn chưa được giao lớp nào của trường này.' : 'Trường chưa có lớp nào.'}</p>
      ) : (
        <DataTable caption={`Các lớp của ${school.name} (${classes.length})`} head={['Lớp', 'Khối', 'Năm học', 'Mã lớp', 'Số học sinh trong danh sách']}>
          {classes.map((c) => (
            <tr>
              <td>
                <a href={`/admin/classes/${encodeURIComponent(c.id)}`}>Lớp {c.name}</a>
              </td>
              <td>{gradeLabel(c.grade)}</td>
              <td>{c.schoolYear}</td>
              <td class="code">{c.code}</td>
              <td>{c.rosterCount}</td>
            </tr>
          ))}
        </DataTable>
      )}

      {canManage && (
        <section aria-labelledby="add-class">
          <h2 id="add-class">Thêm lớp</h2>
          <FormErrors errors={ce} fields={['className', 'grade', 'schoolYear']} />
          <PostForm action={`${base}/classes`} csrfToken={ctx.csrfToken} class="stack narrow">
            <TextField name="className" label="Tên lớp" value={str(cv.className)} error={ce.className} hint="Ví dụ: 6A1" maxLength={30} required />
            <TextField name="grade" label="Khối lớp" type="number" value={str(cv.grade)} error={ce.grade} hint="Từ 1 đến 12; 0 là mầm non." required />
            <TextField name="schoolYear" label="Năm học" value={str(cv.schoolYear) ?? ''} error={ce.schoolYear} hint={`Để trống là năm học ${schoolYearOf(ctx.now)}.`} maxLength={9} />
            <button type="submit">Thêm lớp</button>
          </PostForm>
        </section>
      )}

      {canManage && (
        <section aria-labelledby="edit-school">
          <h2 id="edit-school">Sửa thông tin trường</h2>
          <FormErrors errors={se} fields={['name', 'broadcastNeedsApproval']} />
          <PostForm action={base} csrfToken={ctx.csrfToken} class="stack narrow">
            <TextField name="name" label="Tên trường" value={str(sv.name)} error={se.name} maxLength={120} required />
            <CheckboxField name="broadcastNeedsApproval" label="Thông báo gửi toàn trường cần ban giám hiệu duyệt" checked={sv.broadcastNeedsApproval === true} />
            <p class="hint">Mã trường không đổi được: mã lớp, mã QR đã in và mã giáo viên đều dựa vào nó.</p>
            <button type="submit">Lưu</button>
          </PostForm>
        </section>
      )}
    </Layout>
  );
}

/** A typed grade as a number; anything else (empty too) as NaN, which the class service answers with what to type. */
export function gradeOf(typed: string | undefined): number {
  const t = (typed ?? '').trim();
  return /^-?\d{1,3}$/.test(t) ? Number(t) : Number.NaN;
}

function str(v: string | boolean | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

async function schoolOr404(ctx: StaffContext): Promise<SchoolPage | null> {
  const out = await ctx.deps.schools.school(ctx.scope, ctx.params.schoolId ?? '');
  return out.ok ? out : null;
}

/** `/admin/schools/:schoolId`: a school, its classes; admins and its school admin edit it and add classes. */
export const schoolRoutes = [
  defineRoute({
    method: 'GET',
    path: '/admin/schools/:schoolId',
    access: SCHOOL_READERS,
    async handler(ctx) {
      const data = await schoolOr404(ctx);
      return data ? page(<SchoolView ctx={ctx} data={data} />) : notFound();
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/admin/schools/:schoolId',
    access: ['admin', 'school_admin'],
    async handler(ctx) {
      const data = await schoolOr404(ctx);
      if (!data) return notFound();
      const form = parseInput(SchoolForm, ctx.body);
      if (!form.ok) return page(<SchoolView ctx={ctx} data={data} school={{ values: {}, errors: form.errors }} />, { status: 400 });
      const out = await ctx.deps.schools.update(ctx.scope, data.school.id, { name: form.data.name ?? '', broadcastNeedsApproval: form.data.broadcastNeedsApproval }, ctx.now);
      if (out.ok) return redirect(`/admin/schools/${encodeURIComponent(out.school.id)}?saved=updated`);
      if (out.reason === 'not_found') return notFound();
      if (!('errors' in out)) throw new AppError('forbidden', { message: 'may not change this school' });
      return page(<SchoolView ctx={ctx} data={data} school={{ values: form.data, errors: errorsByField(out.errors) }} />, { status: 400 });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/admin/schools/:schoolId/classes',
    access: ['admin', 'school_admin'],
    async handler(ctx) {
      const data = await schoolOr404(ctx);
      if (!data) return notFound();
      const form = parseInput(ClassForm, ctx.body);
      if (!form.ok) return page(<SchoolView ctx={ctx} data={data} cls={{ values: {}, errors: form.errors }} />, { status: 400 });
      const { className: name, grade, schoolYear } = form.data;
      // An empty grade is missing, not 0 (mầm non): the service then says what to type.
      const input = { name: name ?? '', grade: gradeOf(grade), ...(schoolYear?.trim() ? { schoolYear } : {}) };
      const out = await ctx.deps.schools.createClass(ctx.scope, data.school.id, input, ctx.now);
      if (out.ok) return redirect(`/admin/classes/${encodeURIComponent(out.class.id)}?saved=created`);
      if (out.reason === 'not_found') return notFound();
      if (!('errors' in out)) throw new AppError('forbidden', { message: 'may not add classes to this school' });
      const { name: nameError, ...otherErrors } = errorsByField(out.errors);
      const errors = nameError ? { ...otherErrors, className: nameError } : otherErrors;
      return page(<SchoolView ctx={ctx} data={data} cls={{ values: form.data, errors }} />, { status: 400 });
    },
  }),
];
