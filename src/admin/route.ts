import type { VNode } from 'preact';
import type { AuditEntry } from '../services/audit/record-audit.js';
import type { SignedInStaff } from '../services/staff/resume-session.js';
import type { StaffRole, StaffScope } from '../services/staff/staff-scope.js';
import type { AdminDeps } from './admin-deps.js';

/** Who may use a route: the roles listed, or anyone (`'public'`: the sign-in page, the assets). */
export type RouteAccess = readonly StaffRole[] | 'public';

/** A link in the console's navigation (only routes a role may use are shown to it). */
export interface NavItem {
  href: string;
  label: string;
  /** One line for the dashboard's list of what this account can do. */
  description?: string;
}

/** What every handler gets, signed in or not. */
export interface BaseContext {
  deps: AdminDeps;
  /** The request's time (the injected clock). */
  now: Date;
  path: string;
  /** Path parameters (`/admin/classes/:id` → `params.id`), as sent: validate them. */
  params: Record<string, string>;
  /** The query string, as sent: validate it (`parseInput`). */
  query: Record<string, unknown>;
  /** The url-encoded form of a POST (empty on GET), as sent: validate it (`parseInput`). */
  body: Record<string, unknown>;
  /** The raw body of a route declared with `rawBody` (a file upload); null otherwise or when none of its types came (answer 400). */
  rawBody: { bytes: Buffer; contentType: string } | null;
  /** The CSRF token for forms on this page (`<PostForm>` puts it in a hidden field; htmx sends it as a header). */
  csrfToken: string;
  /** Whether htmx sent the request (answer a fragment instead of a page). */
  htmx: boolean;
  /** The client's address, only for the keyed sign-in limits: never store or log it. */
  clientAddress: string;
  /** Ends this request's session, if any (sign-out; a new sign-in over an old session). Clear the cookie too. */
  endSession(): Promise<void>;
}

/** A public route's context: the session, when there is one. */
export interface PublicContext extends BaseContext {
  session: SignedInStaff | null;
  /** The navigation of the signed-in account (empty when signed out). */
  nav: NavItem[];
}

/** A staff route's context: the signed-in account, its scope as of this request, and its navigation. */
export interface StaffContext extends BaseContext {
  session: SignedInStaff;
  staff: SignedInStaff['staff'];
  scope: StaffScope;
  nav: NavItem[];
  /** Records an audit entry for this account at this request's time (`recordAudit` in a service's transaction is better when it goes with a change). */
  audit(entry: Omit<AuditEntry, 'staffId' | 'at'>): Promise<void>;
}

/** How a handler answers. Pages are escaped JSX; errors by thrown `AppError` or `notFound()`. */
export type Reply =
  | { kind: 'page'; body: VNode; status?: number; headers?: Record<string, string>; cookies?: string[] }
  | { kind: 'fragment'; body: VNode; status?: number; headers?: Record<string, string> }
  | { kind: 'redirect'; to: string; cookies?: string[] }
  | { kind: 'download'; filename: string; contentType: string; body: Buffer | string }
  | { kind: 'asset'; contentType: string; body: Buffer | string }
  | { kind: 'not_found' }
  | { kind: 'inline_file'; contentType: string; body: Buffer; headers?: Record<string, string> };

interface RouteCommon {
  method: 'GET' | 'POST';
  /** Express path syntax, under /admin. */
  path: `/admin${string}`;
  /** Shown in the navigation of roles with access (GET routes without parameters only). */
  nav?: NavItem & { order: number };
  /**
   * A POST that receives a file (CSV, XLSX, multipart; not url-encoded, which the console's form parser takes
   * first): its body up to `limit` bytes of these types arrives as
   * `ctx.rawBody` instead of `ctx.body`. Its CSRF token then comes in the `X-CSRF-Token` header or as `?_csrf=` on
   * the form's action (never in the body, which is only bytes); session, role and token are checked before the
   * handler sees it.
   */
  rawBody?: { limit: number; types: readonly string[] };
}

/** A route for signed-in staff of the listed roles. */
export interface StaffRoute extends RouteCommon {
  access: readonly StaffRole[];
  handler(ctx: StaffContext): Promise<Reply> | Reply;
}

/** A route anyone may use. */
export interface PublicRoute extends RouteCommon {
  access: 'public';
  handler(ctx: PublicContext): Promise<Reply> | Reply;
}

/** One entry of the console's route table (`CONSOLE_ROUTES`). */
export type ConsoleRoute = StaffRoute | PublicRoute;

/** Declares a console route: add it to `CONSOLE_ROUTES` (src/admin/routes.ts) and the access walk covers it. */
export function defineRoute(route: StaffRoute): StaffRoute;
export function defineRoute(route: PublicRoute): PublicRoute;
export function defineRoute(route: ConsoleRoute): ConsoleRoute {
  return route;
}

/** Every staff role, for routes any signed-in account may use. */
export const ANY_STAFF: readonly StaffRole[] = ['admin', 'school_admin', 'teacher', 'tip_handler'];

/** A full page (status 200 unless given). */
export function page(body: VNode, opts: { status?: number; headers?: Record<string, string>; cookies?: string[] } = {}): Reply {
  return { kind: 'page', body, ...opts };
}

/** A piece of a page for htmx to swap in. */
export function fragment(body: VNode, opts: { status?: number; headers?: Record<string, string> } = {}): Reply {
  return { kind: 'fragment', body, ...opts };
}

/** A 303 to another console address (after a POST: the browser GETs it). */
export function redirect(to: `/admin${string}`, opts: { cookies?: string[] } = {}): Reply {
  return { kind: 'redirect', to, ...opts };
}

/** The 404 page: for something that does not exist and, identically, for something outside the account's scope. */
export function notFound(): Reply {
  return { kind: 'not_found' };
}

/** A file to download (exports): never cached; record it with `ctx.audit({ action: 'export_downloaded', … })`. */
export function download(filename: string, contentType: string, body: Buffer | string): Reply {
  return { kind: 'download', filename, contentType, body };
}

/**
 * A file shown in the page rather than downloaded (a tip's photo in an `<img>`): never cached (`no-store`, like every
 * console answer); `headers` may tighten the console's, e.g. a CSP of its own.
 */
export function inlineFile(contentType: string, body: Buffer, headers: Record<string, string> = {}): Reply {
  return { kind: 'inline_file', contentType, body, headers };
}
