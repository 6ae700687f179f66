import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { TipRepo } from '../../store/tip.repo.js';
import { hashPin, verifyPin as verifyArgon2 } from '../../store/tip-crypto.js';
import type { TipService } from '../tips/tip-service.js';
import { describeZodError, errorBody } from './errors.js';

/** What the handler API needs. */
export interface TipHandlerDeps {
  tips: TipService;
  /** Looks up a console account allowed to handle tips. */
  accounts: Pick<TipRepo, 'handlerAccount'>;
}

const StatusSchema = z.object({ status: z.string().max(40), outcome: z.string().max(40).optional() });
const ReplySchema = z.object({ text: z.string().trim().min(1).max(4000) });
const ListSchema = z.object({ status: z.string().max(40).optional(), limit: z.coerce.number().int().min(1).max(500).optional() });

/**
 * `/api/tips…`: the minimal JSON API for tip handlers (the console will give it pages), behind HTTP Basic auth
 * against StaffUser (role `tip_handler` or `admin`). Views are decrypted; the tipster's sealed handle never leaves
 * the tip service, so a reply reaches them without the handler learning who they are.
 */
export function tipHandlerRoutes(deps: TipHandlerDeps): Router {
  const router = Router();
  const json = express.json({ limit: '64kb' });
  router.use('/api/tips', basicAuth(deps.accounts));

  router.get('/api/tips', async (req, res) => {
    const q = ListSchema.safeParse(req.query);
    if (!q.success) return void res.status(400).json(errorBody('bad_request', describeZodError(q.error)));
    res.set('Cache-Control', 'no-store').json({ tips: await deps.tips.list(q.data) });
  });

  router.get('/api/tips/:id', async (req, res) => {
    const tip = await deps.tips.view(req.params.id);
    if (!tip) return void res.status(404).json(errorBody('not_found', 'No such tip.'));
    res.set('Cache-Control', 'no-store').json({ tip });
  });

  router.get('/api/tips/:id/photos/:photoId', async (req, res) => {
    const photo = await deps.tips.photo(req.params.id, req.params.photoId);
    if (!photo) return void res.status(404).json(errorBody('not_found', 'No such photo.'));
    res.status(200).type(photo.mime).set('Cache-Control', 'no-store').set('Content-Security-Policy', "default-src 'none'").send(photo.data);
  });

  router.post('/api/tips/:id/status', json, async (req, res) => {
    const body = StatusSchema.safeParse(req.body);
    if (!body.success) return void res.status(400).json(errorBody('bad_request', describeZodError(body.error)));
    const r = await deps.tips.setStatus(req.params.id, body.data.status, body.data.outcome);
    if (!r.ok) return void res.status(r.reason === 'not_found' ? 404 : 400).json(errorBody(r.reason === 'not_found' ? 'not_found' : 'bad_request', r.reason === 'not_found' ? 'No such tip.' : 'Status must be new, triaged, in_progress or closed; closing needs an outcome (resolved, referred, no_action, duplicate, spam).'));
    res.json({ ok: true });
  });

  router.post('/api/tips/:id/acknowledge', async (req, res) => {
    const r = await deps.tips.acknowledge(req.params.id);
    if (!r.ok) return void res.status(404).json(errorBody('not_found', 'No such tip.'));
    res.json({ ok: true });
  });

  router.post('/api/tips/:id/reply', json, async (req, res) => {
    const body = ReplySchema.safeParse(req.body);
    if (!body.success) return void res.status(400).json(errorBody('bad_request', describeZodError(body.error)));
    const r = await deps.tips.reply(req.params.id, body.data.text);
    if (!r.ok) return void res.status(r.reason === 'not_found' ? 404 : 400).json(errorBody(r.reason === 'not_found' ? 'not_found' : 'bad_request', 'Reply not accepted.'));
    // `notified` says whether the tipster will be told in chat; never to whom.
    res.json({ ok: true, notified: r.notified === true });
  });
  return router;
}

function basicAuth(accounts: TipHandlerDeps['accounts']): RequestHandler {
  let dummy: Promise<string> | undefined;
  const deny = (res: Parameters<RequestHandler>[1]) =>
    void res.status(401).set('WWW-Authenticate', 'Basic realm="tips", charset="UTF-8"').json(errorBody('unauthorized', 'Sign in with a tip handler account.'));
  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const m = /^Basic ([A-Za-z0-9+/=]{1,1000})$/.exec(header);
    if (!m) return deny(res);
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 1) return deny(res);
    const email = decoded.slice(0, colon).trim().toLowerCase();
    const password = decoded.slice(colon + 1);
    const account = await accounts.handlerAccount(email);
    // Verify against a dummy hash for unknown accounts, so timing does not tell which emails exist.
    const ok = await verifyArgon2(account?.passwordHash ?? (await (dummy ??= hashPin('not-a-password'))), password);
    if (!account || !ok) return deny(res);
    next();
  };
}
