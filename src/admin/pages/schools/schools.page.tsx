import { z } from 'zod';
import { AppError } from '../../../errors.js';
import type { SchoolListItem } from '../../../services/schools/console-schools.js';
import type { CreateSchoolInput } from '../../../services/schools/school-input.schema.js';
import { parseInput } from '../../http/parse-input.js';
import { defineRoute, page, redirect, type StaffContext } from '../../route.js';
import { chromeOf } from '../../views/chrome.js';
import { DataTable, Notice, PostForm, TextField } from '../../views/components.js';
import { Layout } from '../../views/layout.js';
import { CheckboxField, errorsByField, FormErrors, formCheckbox, formText, SelectField } from './form-fields.js';
import { LEVEL_OPTIONS, levelLabel } from './school-labels.js';

/** Who reads the school pages: every role with schools (tip handlers have only tips). */
export const SCHOOL_READERS = ['admin', 'school_admin', 'teacher'] as const;

const NewSchoolForm = z.object({
  code: formText(100),
  name: formText(1000),
  level: formText(40),
  officeId: formText(64),
  broadcastNeedsApproval: formCheckbox,
});
type NewSchoolValues = Partial<Record<'code' | 'name' | 'level' | 'officeId', string>> & { broadcastNeedsApproval?: boolean };

function SchoolsView(props: { ctx: StaffContext; schools: SchoolListItem[] }) {
  const { ctx, schools } = props;
  return (
    <Layout title="Trường và lớp" chrome={chromeOf(ctx)}>
      {ctx.scope.role === 'admin' && (
        <p>
          <a class="button" href="/admin/schools/new">
            Thêm trường
          </a>
        </p>
      )}
      {schools.length === 0 ? (
        <p>Chưa có trường nào trong phạm vi tài khoản của bạn.</p>
      ) : (
        <DataTable caption={`Các trường trong phạm vi của bạn (${schools.length})`} head={['Tên trường', 'Mã', 'Cấp học', 'Số lớp', 'Duyệt thông báo toàn trường']}>
          {schools.map((s) => (
            <tr>
              <td>
                <a href={`/admin/schools/${encodeURIComponent(s.id)}`}>{s.name}</a>
              </td>
              <td class="code">{s.code}</td>
              <td>{levelLabel(s.level)}</td>
              <td>{s.classCount}</td>
              <td>{s.broadcastNeedsApproval ? 'Cần duyệt' : 'Không cần duyệt'}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </Layout>
  );
}

async function NewSchoolView(props: { ctx: StaffContext; values?: NewSchoolValues; errors?: Record<string, string> }) {
  const { ctx, values = { broadcastNeedsApproval: true }, errors = {} } = props;
  const offices = await ctx.deps.schools.offices(ctx.scope);
  const chooseOffice = ctx.scope.officeId === null;
  return (
    <Layout title="Thêm trường" chrome={chromeOf(ctx)}>
      <p>
        <a href="/admin/schools">← Danh sách trường</a>
      </p>
      <FormErrors errors={errors} fields={['code', 'name', 'level', 'officeId', 'broadcastNeedsApproval']} />
      <PostForm action="/admin/schools" csrfToken={ctx.csrfToken} class="stack narrow">
        {chooseOffice ? (
          <SelectField
            name="officeId"
            label="Phòng/Sở giáo dục"
            options={[{ value: '', label: 'Chọn phòng/sở giáo dục' }, ...offices.map((o) => ({ value: o.id, label: o.name }))]}
            value={values.officeId}
            error={errors.officeId}
            required
          />
        ) : (
          <p>Trường mới thuộc {offices[0]?.name ?? 'phòng giáo dục của bạn'}.</p>
        )}
        <TextField name="name" label="Tên trường" value={values.name} error={errors.name} hint="Ví dụ: Trường THCS Nguyễn Thị Thập" maxLength={120} required />
        <TextField name="code" label="Mã trường" value={values.code} error={errors.code} hint="2–12 chữ cái không dấu hoặc chữ số, ví dụ NTT. Mã lớp bắt đầu bằng mã này (NTT-6A1)." maxLength={12} required />
        <SelectField name="level" label="Cấp học" options={LEVEL_OPTIONS} value={values.level} error={errors.level} required />
        <CheckboxField
          name="broadcastNeedsApproval"
          label="Thông báo gửi toàn trường cần ban giám hiệu duyệt"
          checked={values.broadcastNeedsApproval ?? true}
          hint="Áp dụng cho thông báo giáo viên gửi từ chat tới cả trường hoặc tới lớp không phải lớp mình."
        />
        <button type="submit">Thêm trường</button>
      </PostForm>
    </Layout>
  );
}

/** `/admin/schools`: the schools in scope; admins add schools here. */
export const schoolsRoutes = [
  defineRoute({
    method: 'GET',
    path: '/admin/schools',
    access: SCHOOL_READERS,
    nav: { href: '/admin/schools', label: 'Trường, lớp', description: 'trường, lớp, danh sách học sinh, mã giáo viên, mã QR vào lớp', order: 100 },
    async handler(ctx) {
      const out = await ctx.deps.schools.list(ctx.scope);
      if (!out.ok) throw new AppError('forbidden', { message: 'school list refused for this role' });
      return page(<SchoolsView ctx={ctx} schools={out.schools} />);
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/admin/schools/new',
    access: ['admin'],
    handler: async (ctx) => page(await NewSchoolView({ ctx })),
  }),
  defineRoute({
    method: 'POST',
    path: '/admin/schools',
    access: ['admin'],
    async handler(ctx) {
      const form = parseInput(NewSchoolForm, ctx.body);
      if (!form.ok) return page(await NewSchoolView({ ctx, errors: form.errors }), { status: 400 });
      const v = form.data;
      const values: NewSchoolValues = { ...v };
      const out = await ctx.deps.schools.create(
        ctx.scope,
        { code: v.code ?? '', name: v.name ?? '', level: (v.level ?? '') as CreateSchoolInput['level'], broadcastNeedsApproval: v.broadcastNeedsApproval, ...(v.officeId ? { officeId: v.officeId } : {}) },
        ctx.now,
      );
      if (out.ok) return redirect(`/admin/schools/${encodeURIComponent(out.school.id)}?saved=created`);
      if (out.reason === 'forbidden') throw new AppError('forbidden', { message: 'this admin may not create schools' });
      return page(await NewSchoolView({ ctx, values, errors: errorsByField(out.errors) }), { status: 400 });
    },
  }),
];

/** The notice after a redirect (`?saved=`); anything else in the query is ignored. */
export function savedNotice(query: Record<string, unknown>, texts: Record<string, string>) {
  const v = typeof query.saved === 'string' ? query.saved : '';
  const text = Object.hasOwn(texts, v) ? texts[v] : undefined;
  return text ? <Notice kind="success">{text}</Notice> : null;
}
