import { z } from 'zod';
import type { ClassPledgeStatus, ClassPledgeSummary, PledgeCampaign, SchoolPledgeSummary } from '../../../services/pledges/pledge-report-types.js';
import { parseInput } from '../../http/parse-input.js';
import { defineRoute, notFound, page, type StaffContext } from '../../route.js';
import { chromeOf } from '../../views/chrome.js';
import { DataTable, Notice } from '../../views/components.js';
import { Layout } from '../../views/layout.js';
import { againstRoster, offRoster, sideText } from './pledge-words.js';

/** Who reads pledges: admins, school admins and teachers (tip handlers see no pupils). */
export const PLEDGE_ROLES = ['admin', 'school_admin', 'teacher'] as const;
/** Who may export a whole school. */
export const SCHOOL_EXPORT_ROLES = ['admin', 'school_admin'] as const;

const ID = /^[0-9A-Za-z-]{1,64}$/;
const QuerySchema = z.object({
  school: z.preprocess((v) => (v === '' ? undefined : v), z.string('Trường không hợp lệ.').max(64, 'Trường không hợp lệ.').regex(ID, 'Trường không hợp lệ.').optional()),
});

function CampaignLine(props: { campaign: PledgeCampaign | null; perSchool?: boolean }) {
  return props.campaign ? (
    <p>
      Chiến dịch: <strong>{props.campaign.title}</strong>.{' '}
      {props.perSchool
        ? '“Đã ký” theo trường tính mọi cam kết còn hiệu lực; theo lớp chỉ tính học sinh có trong danh sách lớp.'
        : '“Đã ký” chỉ tính cam kết còn hiệu lực của học sinh có trong danh sách lớp.'}
    </p>
  ) : (
    <Notice kind="info">Hiện chưa có chiến dịch nào đang diễn ra, nên chưa có cam kết để thống kê. Sĩ số theo danh sách lớp vẫn được hiển thị.</Notice>
  );
}

function ExportLinks(props: { base: string; what: string }) {
  return (
    <p class="pledge-exports">
      Tải {props.what}: <a href={`${props.base}/export.xlsx`}>Excel (.xlsx)</a> · <a href={`${props.base}/export.csv`}>CSV (UTF-8)</a>
      <span class="hint"> · mỗi lần tải được ghi vào nhật ký</span>
    </p>
  );
}

function SchoolsTable(props: { schools: SchoolPledgeSummary[] }) {
  return (
    <DataTable caption="Cam kết theo trường (mọi cam kết còn hiệu lực, so với sĩ số; chọn trường để xem từng lớp)" head={['Trường', 'Số lớp', 'Sĩ số', 'Phụ huynh đã ký', 'Học sinh đã ký', 'Học sinh được PH xác nhận', 'Đã rút', 'Tải về']}>
      {props.schools.map((s) => (
        <tr>
          <td>
            <a href={`/admin/pledges?school=${encodeURIComponent(s.id)}`}>{s.name}</a>
          </td>
          <td>{s.classCount}</td>
          <td>{s.counts.rosterSize}</td>
          <td>{againstRoster(s.counts.parentValid, s.counts.rosterSize)}</td>
          <td>{againstRoster(s.counts.studentValid, s.counts.rosterSize)}</td>
          <td>{s.counts.studentConfirmed}</td>
          <td>{s.counts.withdrawn}</td>
          <td>
            <a href={`/admin/pledges/schools/${s.id}/export.xlsx`}>XLSX</a> · <a href={`/admin/pledges/schools/${s.id}/export.csv`}>CSV</a>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

function ClassesTable(props: { classes: ClassPledgeSummary[]; showSchool: boolean }) {
  const head = [...(props.showSchool ? ['Trường'] : []), 'Lớp', 'Năm học', 'Sĩ số', 'Phụ huynh đã ký', 'Học sinh đã ký', 'Học sinh được PH xác nhận', 'Đã rút'];
  return (
    <DataTable caption="Cam kết theo lớp" head={head}>
      {props.classes.map((c) => (
        <tr>
          {props.showSchool && <td>{c.schoolName}</td>}
          <td>
            <a href={`/admin/pledges/classes/${c.id}`}>{c.name}</a>
          </td>
          <td>{c.schoolYear}</td>
          <td>{c.counts.rosterSize === 0 ? 'Chưa có danh sách' : c.counts.rosterSize}</td>
          <td>{againstRoster(c.counts.parentOnRoster, c.counts.rosterSize)}</td>
          <td>{againstRoster(c.counts.studentOnRoster, c.counts.rosterSize)}</td>
          <td>{c.counts.studentConfirmed}</td>
          <td>{c.counts.withdrawn}</td>
        </tr>
      ))}
    </DataTable>
  );
}

function ClassView(props: { ctx: StaffContext; status: ClassPledgeStatus }) {
  const { status } = props;
  const c = status.counts;
  const pupils = status.pupils;
  const missingParent = pupils?.filter((p) => p.onRoster && p.parent.state !== 'signed').length ?? c.rosterSize - c.parentOnRoster;
  const missingStudent = pupils?.filter((p) => p.onRoster && p.student.state !== 'signed').length ?? c.rosterSize - c.studentOnRoster;
  return (
    <Layout title={`Cam kết lớp ${status.class.name}`} chrome={chromeOf(props.ctx)}>
      <p>
        <a href="/admin/pledges">← Về danh sách lớp</a> · {status.class.schoolName}, năm học {status.class.schoolYear}
      </p>
      <CampaignLine campaign={status.campaign} />
      <dl class="facts">
        <dt>Sĩ số theo danh sách lớp</dt>
        <dd>{c.rosterSize === 0 ? 'Lớp chưa có danh sách học sinh' : c.rosterSize}</dd>
        <dt>Phụ huynh đã ký</dt>
        <dd>{againstRoster(c.parentOnRoster, c.rosterSize)}</dd>
        <dt>Học sinh đã ký</dt>
        <dd>{againstRoster(c.studentOnRoster, c.rosterSize)}</dd>
        <dt>Cam kết học sinh được phụ huynh xác nhận</dt>
        <dd>
          {c.studentConfirmed} / {c.studentValid}
        </dd>
        {c.rosterSize > 0 && (
          <>
            <dt>Chưa có cam kết</dt>
            <dd>
              phụ huynh: {missingParent} · học sinh: {missingStudent}
            </dd>
          </>
        )}
        <dt>Cam kết ngoài danh sách lớp</dt>
        <dd>{offRoster(c)}</dd>
        <dt>Cam kết đã rút</dt>
        <dd>{c.withdrawn}</dd>
      </dl>
      <ExportLinks base={`/admin/pledges/classes/${status.class.id}`} what="danh sách của lớp" />
      {!status.names && <Notice kind="info">Bạn chỉ xem được số liệu của lớp này; tên học sinh chỉ hiện với giáo viên của lớp và quản trị viên.</Notice>}
      {pupils && pupils.length === 0 && <p>Lớp chưa có danh sách học sinh và chưa có cam kết nào.</p>}
      {pupils && pupils.length > 0 && (
        <DataTable caption={`Học sinh lớp ${status.class.name} và cam kết an toàn giao thông`} head={['STT', 'Họ và tên', 'Cam kết của phụ huynh', 'Cam kết của học sinh', 'Phụ huynh xác nhận']}>
          {pupils.map((p, i) => (
            <tr class={p.parent.state !== 'signed' || p.student.state !== 'signed' ? 'pledge-missing' : undefined}>
              <td>{i + 1}</td>
              <td>
                {p.name}
                {!p.onRoster && <span class="hint"> (ngoài danh sách lớp)</span>}
              </td>
              <td>{sideText(p.parent)}</td>
              <td>{sideText(p.student)}</td>
              <td>{p.student.state === 'signed' ? (p.student.confirmed ? 'Đã xác nhận' : 'Chưa xác nhận') : ''}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </Layout>
  );
}

/** `/admin/pledges` (classes or schools in scope, with figures) and `/admin/pledges/classes/:classId` (who has pledged). */
export const pledgeRoutes = [
  defineRoute({
    method: 'GET',
    path: '/admin/pledges',
    access: PLEDGE_ROLES,
    nav: { href: '/admin/pledges', label: 'Cam kết', description: 'ai đã và chưa ký cam kết an toàn giao thông, tải danh sách', order: 200 },
    async handler(ctx) {
      const q = parseInput(QuerySchema, ctx.query);
      if (!q.ok)
        return page(
          <Layout title="Cam kết an toàn giao thông" chrome={chromeOf(ctx)}>
            <Notice kind="error">{Object.values(q.errors).join(' ')}</Notice>
            <p>
              <a href="/admin/pledges">Xem tất cả</a>
            </p>
          </Layout>,
          { status: 400 },
        );
      const r = await ctx.deps.pledgeStatus.overview(ctx.scope, q.data.school ? { schoolId: q.data.school } : {});
      if (!r.ok) return notFound();
      const manages = (SCHOOL_EXPORT_ROLES as readonly string[]).includes(ctx.scope.role);
      const onlySchool = r.kind === 'classes' ? (r.school ?? (r.classes[0] ? { id: r.classes[0].schoolId, name: r.classes[0].schoolName } : null)) : null;
      return page(
        <Layout title={r.kind === 'classes' && r.school ? `Cam kết: ${r.school.name}` : 'Cam kết an toàn giao thông'} chrome={chromeOf(ctx)}>
          {r.kind === 'classes' && r.school && (
            <p>
              <a href="/admin/pledges">← Về danh sách trường</a>
            </p>
          )}
          <CampaignLine campaign={r.campaign} perSchool={r.kind === 'schools'} />
          {r.kind === 'schools' && (r.schools.length === 0 ? <p>Chưa có trường nào trong phạm vi của bạn.</p> : <SchoolsTable schools={r.schools} />)}
          {r.kind === 'classes' && manages && onlySchool && <ExportLinks base={`/admin/pledges/schools/${onlySchool.id}`} what={`cả trường ${onlySchool.name}`} />}
          {r.kind === 'classes' && (r.classes.length === 0 ? <p>Chưa có lớp nào trong phạm vi của bạn.</p> : <ClassesTable classes={r.classes} showSchool={!r.school && new Set(r.classes.map((c) => c.schoolId)).size > 1} />)}
        </Layout>,
      );
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/admin/pledges/classes/:classId',
    access: PLEDGE_ROLES,
    async handler(ctx) {
      const id = ctx.params.classId ?? '';
      if (!ID.test(id)) return notFound();
      const r = await ctx.deps.pledgeStatus.classStatus(ctx.scope, id);
      if (!r.ok) return notFound();
      return page(<ClassView ctx={ctx} status={r.status} />);
    },
  }),
];
