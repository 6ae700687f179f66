import express, { Router, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { Staff } from '../../services/staff/staff.js';
import type { Tips } from '../../services/tips/tips.js';
import type { TipScope } from '../../store/tip.repo.js';
import { describeZodError, respondError } from './errors.js';

/** What the handler API needs. */
export interface TipHandlerDeps {
  tips: Tips;
  staff: Staff;
}

const StatusSchema = z.object({ status: z.string().max(40), outcome: z.string().max(40).optional() });
const ReplySchema = z.object({ text: z.string().trim().min(1).max(4000) });
const ListSchema = z.object({ status: z.string().max(40).optional(), limit: z.coerce.number().int().min(1).max(500).optional() });

/**
 * `/api/tips…`: the minimal JSON API for tip handlers (the console will give it pages), behind HTTP Basic auth
 * against StaffUser (role `tip_handler` or `admin`). Each handler sees and changes only the tips of their scope
 * (their school, their office's schools and tips without a school, or everything for an admin); a tip outside it
 * answers 404 like one that does not exist. Views are decrypted; the tipster's sealed handle never leaves the tip
 * services, so a reply reaches them without the handler learning who they are.
 */
export function tipHandlerRoutes(deps: TipHandlerDeps): Router {
  const router = Router();
  const json = express.json({ limit: '64kb' });
  router.use('/api/tips', basicAuth(deps.staff));
  const notFound = (res: Response) => void respondError(res, 'not_found', 'No such tip.');

  router.get('/api/tips', async (req, res) => {
    const q = ListSchema.safeParse(req.query);
    if (!q.success) return void respondError(res, 'bad_request', describeZodError(q.error));
    res.set('Cache-Control', 'no-store').json({ tips: await deps.tips.list(scopeOf(res), q.data) });
  });

  router.get('/api/tips/:id', async (req, res) => {
    const tip = await deps.tips.view(scopeOf(res), req.params.id);
    if (!tip) return notFound(res);
    res.set('Cache-Control', 'no-store').json({ tip });
  });

  router.get('/api/tips/:id/photos/:photoId', async (req, res) => {
    const photo = await deps.tips.photo(scopeOf(res), req.params.id, req.params.photoId);
    if (!photo) return void respondError(res, 'not_found', 'No such photo.');
    res.status(200).type(photo.mime).set('Cache-Control', 'no-store').set('Content-Security-Policy', "default-src 'none'").send(photo.data);
  });

  router.post('/api/tips/:id/status', json, async (req, res) => {
    const body = StatusSchema.safeParse(req.body);
    if (!body.success) return void respondError(res, 'bad_request', describeZodError(body.error));
    const r = await deps.tips.setStatus(scopeOf(res), req.params.id, body.data.status, body.data.outcome);
    if (!r.ok && r.reason === 'not_found') return notFound(res);
    if (!r.ok) return void respondError(res, 'bad_request', 'Status must be new, triaged, in_progress or closed; closing needs an outcome (resolved, referred, no_action, duplicate, spam).');
    res.json({ ok: true });
  });

  router.post('/api/tips/:id/acknowledge', async (req, res) => {
    const r = await deps.tips.acknowledge(scopeOf(res), req.params.id);
    if (!r.ok) return notFound(res);
    res.json({ ok: true });
  });

  router.post('/api/tips/:id/reply', json, async (req, res) => {
    const body = ReplySchema.safeParse(req.body);
    if (!body.success) return void respondError(res, 'bad_request', describeZodError(body.error));
    const r = await deps.tips.reply(scopeOf(res), req.params.id, body.data.text);
    if (!r.ok && r.reason === 'not_found') return notFound(res);
    if (!r.ok) return void respondError(res, 'bad_request', 'Reply not accepted.');
    // `notified` says whether the tipster will be told in chat; never to whom.
    res.json({ ok: true, notified: r.notified === true });
  });
  return router;
}

function scopeOf(res: Response): TipScope {
  return (res.locals as { tipScope?: TipScope }).tipScope ?? { kind: 'none' };
}

// Basic auth signs in on every request; failures are limited per source address and per account (429 with
// Retry-After in seconds). The address only feeds a keyed hash and is never stored or logged.
function basicAuth(staff: Staff): RequestHandler {
  const deny = (res: Response) =>
    respondError(res, 'unauthorized', 'Sign in with a tip handler account.', { 'WWW-Authenticate': 'Basic realm="tips", charset="UTF-8"' });
  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const m = /^Basic ([A-Za-z0-9+/=]{1,1000})$/.exec(header);
    if (!m) return deny(res);
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 1) return deny(res);
    const result = await staff.signIn(decoded.slice(0, colon), decoded.slice(colon + 1), req.ip ?? 'unknown');
    if (!result.ok && result.reason === 'throttled') {
      return respondError(res, 'rate_limited', `Too many failed sign-ins: try again in ${Math.ceil(result.retryAfterSeconds / 60)} minute(s).`, {
        'Retry-After': String(result.retryAfterSeconds),
      });
    }
    if (!result.ok) return deny(res);
    (res.locals as { tipScope?: TipScope }).tipScope = result.scope;
    next();
  };
}
