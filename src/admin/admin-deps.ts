import type { Logger } from '../logger.js';
import type { ConsoleAudit } from '../services/audit/audit.js';
import type { ConsoleDashboard } from '../services/dashboard/console-dashboard.js';
import type { ConsoleReports } from '../services/reports/console-reports.js';
import type { ConsoleStaff } from '../services/staff/console-staff.js';
import type { ConsoleSchools } from '../services/schools/console-schools.js';
import type { Catalogue } from '../content/catalogue.js';
import type { Quizzes } from '../content/quizzes.js';
import type { ConsoleBroadcasts } from '../services/broadcasts/console-broadcasts.js';
import type { ConsoleTips } from '../services/tips/console-tips.js';
import type { ConsolePledges } from '../services/pledges/console-pledges.js';

/** How the console's HTTP layer is set up (from config, through src/main.ts). */
export interface ConsoleSettings {
  /** Secure `__Host-` cookies (HTTPS); false only for the local http demo (ADMIN_COOKIE_SECURE). */
  cookieSecure: boolean;
  /** PUBLIC_BASE_URL's origin: a POST whose Origin is neither this nor the request's own host is refused. */
  publicOrigin: string | null;
  /** Key of the CSRF tokens (derived from APP_SECRET: `consoleCsrfKey`). */
  csrfKey: Buffer;
}

/**
 * What console routes reach: services only (DESIGN.md §3). Page authors add the services their pages call here and
 * wire them in src/main.ts.
 */
export interface AdminDeps {
  staff: ConsoleStaff;
  audit: ConsoleAudit;
  settings: ConsoleSettings;
  /** The time of each request (tests move it; never behind the wall clock in production). */
  clock: () => Date;
  log: Logger;
  /** Schools, classes, rosters, teacher codes, class links and QR codes (pages/schools/). */
  schools: ConsoleSchools;
  /** The campaign content as validated at boot (pages/content/): read-only. */
  content: { catalogue: Catalogue; quizzes: Quizzes };
  /** Broadcasts (compose, forecast, approve, cancel, figures) and the reminders' calendar (pages/broadcasts/). */
  broadcasts: ConsoleBroadcasts;
  /** The tips inbox (pages/tips/). */
  tipInbox: ConsoleTips;
  /** Pledges per class and their exports (pages/pledges/). */
  pledgeStatus: ConsolePledges;
  /** The dashboard's figures (src/services/dashboard/). */
  dashboard: ConsoleDashboard;
  /** The periodic report: units, figures, DOCX and XLSX (src/services/reports/). */
  reports: ConsoleReports;
}
