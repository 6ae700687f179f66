import type { NavItem } from '../route.js';

/** What the layout needs from a request: who is signed in, their navigation, the CSRF token, where we are. */
export interface Chrome {
  staff: { name: string; role: string } | null;
  nav: readonly NavItem[];
  csrfToken: string;
  path: string;
}

/** The chrome of a handler's context (`ctx`), signed in or not. */
export function chromeOf(ctx: { session: { staff: { name: string; role: string } } | null; nav: readonly NavItem[]; csrfToken: string; path: string }): Chrome {
  return { staff: ctx.session ? { name: ctx.session.staff.name, role: ctx.session.staff.role } : null, nav: ctx.nav, csrfToken: ctx.csrfToken, path: ctx.path };
}
