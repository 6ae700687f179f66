import { z } from 'zod';
import type { DashboardFigures } from '../../services/dashboard/dashboard-figures.js';
import type { DashboardSchoolChoice } from '../../services/dashboard/console-dashboard.js';
import { parseInput } from '../http/parse-input.js';
import { ANY_STAFF, defineRoute, notFound, page, type StaffContext } from '../route.js';
import { chromeOf } from '../views/chrome.js';
import { Notice } from '../views/components.js';
import { Layout } from '../views/layout.js';
import { BroadcastSection } from './dashboard/broadcast-section.js';
import { HealthSection } from './dashboard/health-section.js';
import { PledgeSection } from './dashboard/pledge-section.js';
import { TipSection } from './dashboard/tip-section.js';

const QuerySchema = z.object({
  school: z
    .string('Trường được chọn không hợp lệ.')
    .max(64, 'Trường được chọn không hợp lệ.')
    .optional()
    .transform((v) => (v ? v : undefined)),
});

function SchoolFilter(props: { choices: DashboardSchoolChoice[]; selected: string | undefined }) {
  return (
    <form method="get" action="/admin" class="filters">
      <div class="field">
        <label for="f-school">Xem theo trường</label>
        <select id="f-school" name="school">
          <option value="">Tất cả các trường ({props.choices.length})</option>
          {props.choices.map((s) => (
            <option value={s.id} selected={s.id === props.selected}>
              {s.name}
            </option>
          ))}
        </select>
      </div>
      <button type="submit">Xem</button>
    </form>
  );
}

function DashboardView(props: { ctx: StaffContext; figures: DashboardFigures | null; choices: DashboardSchoolChoice[]; school: string | undefined; errors?: Record<string, string> }) {
  const { ctx, figures } = props;
  const schoolName = props.school ? props.choices.find((s) => s.id === props.school)?.name : undefined;
  const urgentFirst = figures?.tips.ok === true && figures.tips.urgentWaiting > 0;
  const tips = figures && <TipSection result={figures.tips} />;
  return (
    <Layout title="Tổng quan" chrome={chromeOf(ctx)}>
      <p class="lead">Xin chào {ctx.staff.name}.</p>
      {props.choices.length > 1 && <SchoolFilter choices={props.choices} selected={props.school} />}
      {schoolName && (
        <p>
          Đang xem: <strong>{schoolName}</strong>. <a href="/admin">Xem tất cả các trường</a>
        </p>
      )}
      {props.errors && <Notice kind="error">{Object.values(props.errors).join(' ')}</Notice>}
      {figures && (
        <>
          {urgentFirst && tips}
          <PledgeSection result={figures.pledges} drillDown={props.choices.length > 1} />
          {!urgentFirst && tips}
          <BroadcastSection result={figures.broadcasts} />
          <HealthSection result={figures.health} />
        </>
      )}
      <h2>Các chức năng</h2>
      <ul class="link-list">
        {ctx.nav
          .filter((item) => item.href !== '/admin')
          .map((item) => (
            <li>
              <a href={item.href}>{item.label}</a>
              {item.description && <span class="hint"> · {item.description}</span>}
            </li>
          ))}
      </ul>
    </Layout>
  );
}

/**
 * `/admin`: the dashboard. Pledge progress per school or class against the roster (chart and table), tips by status
 * with urgent unacknowledged ones on top, the week's broadcasts with their delivery figures, channel health; each
 * section only for the roles that may see it (a tip handler: the tips; a teacher: their classes). An admin may narrow
 * it to one school (`?school=<id>`); a school outside the scope answers 404.
 */
export const dashboardRoutes = [
  defineRoute({
    method: 'GET',
    path: '/admin',
    access: ANY_STAFF,
    nav: { href: '/admin', label: 'Tổng quan', order: 0 },
    async handler(ctx) {
      const q = parseInput(QuerySchema, ctx.query);
      if (!q.ok) {
        const choices = await ctx.deps.dashboard.schoolChoices(ctx.scope);
        return page(<DashboardView ctx={ctx} figures={null} choices={choices} school={undefined} errors={q.errors} />, { status: 400 });
      }
      const school = q.data.school;
      const [choices, out] = await Promise.all([ctx.deps.dashboard.schoolChoices(ctx.scope), ctx.deps.dashboard.figures(ctx.scope, ctx.now, school ? { schoolId: school } : {})]);
      if (!out.ok) return notFound();
      return page(<DashboardView ctx={ctx} figures={out.figures} choices={choices} school={school} />);
    },
  }),
];
