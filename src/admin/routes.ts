import { assetRoutes } from './pages/assets.page.js';
import { auditRoutes } from './pages/audit.page.js';
import { dashboardRoutes } from './pages/dashboard.page.js';
import { loginRoutes } from './pages/login.page.js';
import { profileRoutes } from './pages/profile.page.js';
import { reportRoutes } from './pages/reports/reports.page.js';
import type { ConsoleRoute } from './route.js';
import { schoolsRoutes } from './pages/schools/schools.page.js';
import { schoolRoutes } from './pages/schools/school.page.js';
import { classRoutes } from './pages/schools/class.page.js';
import { rosterRoutes } from './pages/schools/roster.page.js';
import { contentRoutes } from './pages/content/content.page.js';
import { composeRoutes } from './pages/broadcasts/compose.page.js';
import { broadcastRoutes } from './pages/broadcasts/broadcasts.page.js';
import { reminderRoutes } from './pages/broadcasts/reminders.page.js';
import { tipsListRoutes } from './pages/tips/tips-list.page.js';
import { tipDetailRoutes } from './pages/tips/tip-detail.page.js';
import { pledgeRoutes } from './pages/pledges/pledges.page.js';
import { pledgeExportRoutes } from './pages/pledges/pledge-export.page.js';
import { staffListRoutes } from './pages/staff/staff-list.page.js';
import { staffAccountRoutes } from './pages/staff/staff-account.page.js';

/**
 * Every console route, in one table: `adminRoutes` mounts exactly these, the navigation is built from their `nav`,
 * and test/admin/route-access.test.ts walks each of them for every role. A new page: a `*.page.tsx` in pages/
 * exporting its `defineRoute(…)`s, listed here.
 */
export const CONSOLE_ROUTES: readonly ConsoleRoute[] = [...assetRoutes, ...loginRoutes, ...dashboardRoutes, ...profileRoutes, ...auditRoutes, ...tipsListRoutes, ...tipDetailRoutes, ...pledgeRoutes, ...pledgeExportRoutes, ...reportRoutes,
  // Schools, classes, rosters (pages/schools/): '/admin/schools/new' is declared before '/admin/schools/:schoolId'.
  ...schoolsRoutes, ...schoolRoutes, ...classRoutes, ...rosterRoutes,
  ...contentRoutes,
  // Broadcasts and reminders (pages/broadcasts/): '/admin/broadcasts/new' is declared before '/admin/broadcasts/:broadcastId'.
  ...composeRoutes, ...broadcastRoutes, ...reminderRoutes,
  // Staff accounts (pages/staff/): '/admin/staff/new' is declared before '/admin/staff/:staffId'.
  ...staffListRoutes, ...staffAccountRoutes,
];
