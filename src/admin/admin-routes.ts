import express, { Router, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import type { StaffRole } from '../services/staff/staff-scope.js';
import type { AdminDeps } from './admin-deps.js';
import { refusalOf } from './http/console-errors.js';
import { CSRF_FIELD, CSRF_HEADER, csrfTokenFor, csrfTokenMatches, type CsrfBinding } from './http/csrf.js';
import { requestSession, type RequestSession } from './http/request-session.js';
import { isSameOrigin } from './http/same-origin.js';
import { securityHeaders } from './http/security-headers.js';
import { sendRefusal, sendReply } from './http/send-reply.js';
import { newPreSessionCookie } from './http/session-cookie.js';
import type { BaseContext, ConsoleRoute, NavItem } from './route.js';
import { CONSOLE_ROUTES } from './routes.js';
import type { Chrome } from './views/chrome.js';

// Console forms are short text: anything bigger is refused before it is parsed (uploads get their own parser).
const FORM_LIMIT = '64kb';
const FORM_FIELDS = 200;
const MAX_NEXT = 1000;

/**
 * The staff console: every route of the table (`CONSOLE_ROUTES`), mounted on one router. For each request, in
 * this order: security headers; the session from its cookie (scope resolved now); signed out → sign-in page (GET)
 * or 401 (POST); a role the route does not list → 403; a POST from another origin or without this session's CSRF
 * token → 403, before the handler runs; then the handler. Unknown /admin paths and objects outside the account's
 * scope answer the same 404 page; thrown errors map through ERROR_STATUS, bad input is never a 5xx.
 */
export function adminRoutes(deps: AdminDeps, routes: readonly ConsoleRoute[] = CONSOLE_ROUTES): Router {
  const router = Router();
  const navs = navigationByRole(routes);
  router.use('/admin', securityHeaders(), express.urlencoded({ extended: false, limit: FORM_LIMIT, parameterLimit: FORM_FIELDS }));
  for (const route of routes) {
    const handle = handlerOf(deps, route, navs);
    if (route.method === 'GET') router.get(route.path, handle);
    else if (route.rawBody) router.post(route.path, express.raw({ limit: route.rawBody.limit, type: [...route.rawBody.types] }), handle);
    else router.post(route.path, handle);
  }
  router.use('/admin', notFoundPage(deps, navs));
  router.use('/admin', errorPage(deps));
  return router;
}

type Navs = ReadonlyMap<StaffRole, NavItem[]>;

/** The navigation of each role: GET routes with a `nav` entry that the role may use, by `order`. */
export function navigationByRole(routes: readonly ConsoleRoute[]): Navs {
  const out = new Map<StaffRole, NavItem[]>();
  for (const role of ['admin', 'school_admin', 'teacher', 'tip_handler'] as const) {
    const items = routes
      .filter((r) => r.method === 'GET' && r.nav && r.access !== 'public' && r.access.includes(role))
      .map((r) => r.nav!)
      .sort((a, b) => a.order - b.order)
      .map(({ href, label, description }) => ({ href, label, ...(description ? { description } : {}) }));
    out.set(role, items);
  }
  return out;
}

function handlerOf(deps: AdminDeps, route: ConsoleRoute, navs: Navs): RequestHandler {
  const { settings } = deps;
  return async (req, res, next) => {
    try {
      const now = deps.clock();
      const rs = await requestSession(deps, req, now);
      res.locals.consoleSession = rs;
      const cookies = [...rs.cookies];
      const { session } = rs;
      // The sign-in form's CSRF token is bound to a cookie of its own until there is a session.
      let pre = rs.preSession;
      if (!session && !pre && route.access === 'public' && req.method !== 'POST') {
        const c = newPreSessionCookie(settings);
        pre = c.value;
        cookies.push(c.line);
      }
      const csrfToken = rs.token ? csrfTokenFor(settings.csrfKey, { kind: 'session', token: rs.token }) : pre ? csrfTokenFor(settings.csrfKey, { kind: 'pre_session', value: pre }) : '';
      const nav = session ? (navs.get(session.staff.role) ?? []) : [];
      const chrome: Chrome = { staff: session ? { name: session.staff.name, role: session.staff.role } : null, nav, csrfToken, path: req.path };

      if (route.access !== 'public') {
        if (!session) return void signedOut(req, res, chrome, cookies);
        if (!route.access.includes(session.staff.role)) return void sendRefusal(res, 'forbidden', chrome, cookies);
      }
      const raw = route.rawBody && Buffer.isBuffer(req.body) ? { bytes: req.body, contentType: req.get('content-type') ?? '' } : null;
      const body = route.rawBody ? (Object.create(null) as Record<string, unknown>) : formBody(req);
      if (req.method === 'POST') {
        const bindings: CsrfBinding[] = [];
        if (rs.token) bindings.push({ kind: 'session', token: rs.token });
        if (route.access === 'public' && pre) bindings.push({ kind: 'pre_session', value: pre });
        const presented = body[CSRF_FIELD] ?? req.get(CSRF_HEADER) ?? (route.rawBody ? req.query[CSRF_FIELD] : undefined);
        if (!isSameOrigin(req, settings.publicOrigin) || !csrfTokenMatches(settings.csrfKey, bindings, presented)) {
          deps.log.debug({ path: req.path }, 'console POST refused: origin or CSRF token');
          return void sendRefusal(res, 'csrf', chrome, cookies);
        }
      }
      delete body[CSRF_FIELD];
      const base: BaseContext = {
        deps,
        now,
        path: req.path,
        params: { ...(req.params as Record<string, string>) },
        query: withoutCsrf(req.query as Record<string, unknown>),
        body,
        rawBody: raw,
        csrfToken,
        htmx: req.get('hx-request') === 'true',
        clientAddress: req.ip ?? 'unknown',
        endSession: async () => {
          if (rs.token) await deps.staff.signOut(rs.token, session, now);
        },
      };
      const reply =
        route.access === 'public'
          ? await route.handler({ ...base, session, nav })
          : await route.handler({
              ...base,
              session: session!,
              staff: session!.staff,
              scope: session!.scope,
              nav,
              audit: (entry) => deps.audit.record({ ...entry, staffId: session!.staff.id, at: now }),
            });
      sendReply(res, reply, chrome, cookies);
    } catch (err) {
      next(err);
    }
  };
}

function withoutCsrf(query: Record<string, unknown>): Record<string, unknown> {
  const { [CSRF_FIELD]: _token, ...rest } = query;
  return rest;
}

// A copy without a prototype: form field names such as `__proto__` stay plain keys.
function formBody(req: Request): Record<string, unknown> {
  const raw: unknown = req.body;
  const out = Object.create(null) as Record<string, unknown>;
  if (raw && typeof raw === 'object') for (const [k, v] of Object.entries(raw)) out[k] = v;
  return out;
}

// GET: to the sign-in page, coming back here afterwards; htmx: told to go there; POST: 401 (its form data is lost
// either way, and a redirect would turn it into a GET).
function signedOut(req: Request, res: Response, chrome: Chrome, cookies: string[]): void {
  for (const c of cookies) res.append('Set-Cookie', c);
  // The address to come back to, if it is short: a long query would make the Location header too long to read.
  const back = req.originalUrl.length <= MAX_NEXT ? req.originalUrl : req.path.length <= MAX_NEXT ? req.path : '/admin';
  const next = `/admin/login?next=${encodeURIComponent(back)}`;
  if (req.get('hx-request') === 'true') return void res.status(401).set('HX-Redirect', next).end();
  if (req.method === 'GET' || req.method === 'HEAD') return void res.redirect(303, next);
  sendRefusal(res, 'signed_out', chrome);
}

function notFoundPage(deps: AdminDeps, navs: Navs): RequestHandler {
  return async (req, res, next) => {
    try {
      const rs = await requestSession(deps, req, deps.clock());
      const session = rs.session;
      const nav = session ? (navs.get(session.staff.role) ?? []) : [];
      const csrfToken = rs.token ? csrfTokenFor(deps.settings.csrfKey, { kind: 'session', token: rs.token }) : '';
      sendRefusal(res, 'not_found', { staff: session ? { name: session.staff.name, role: session.staff.role } : null, nav, csrfToken, path: req.path }, rs.cookies);
    } catch (err) {
      next(err);
    }
  };
}

function errorPage(deps: AdminDeps): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const refusal = refusalOf(err);
    if (refusal.fault) deps.log.error({ err }, 'console request failed');
    else deps.log.debug({ status: refusal.status }, 'console request refused');
    if (res.headersSent) return void req.socket.destroy();
    const rs = res.locals.consoleSession as RequestSession | undefined;
    const staff = rs?.session ? { name: rs.session.staff.name, role: rs.session.staff.role } : null;
    const csrfToken = rs?.token ? csrfTokenFor(deps.settings.csrfKey, { kind: 'session', token: rs.token }) : '';
    sendRefusal(res, refusal.kind, { staff, nav: [], csrfToken, path: req.path }, [], refusal.status);
  };
}
