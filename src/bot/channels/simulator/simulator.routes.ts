import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';
import type { OutMessage } from '../../../content/messages.schema.js';
import type { InboundPayload, UserInput } from '../../../flows/index.js';
import type { InboxRepo } from '../../../store/inbox.repo.js';
import { ERASED, type OutboxRepo } from '../../../store/outbox.repo.js';
import { AppError } from '../../../errors.js';
import { describeZodError, respondError } from '../../http/errors.js';
import type { Ingest } from '../../ingest.js';
import { laneKeyOf } from '../../log-keys.js';
import { effectDedupeKey } from '../../turn-processor.js';
import type { Signals } from '../../signals.js';
import { normalizeJsonStrings } from '../normalize-text.js';
import { simulatorSentMessage, simulatorSentToLane } from './simulator-channel.js';
import { SimulatorMessageSchema, SimulatorPollSchema, type SimulatorMessage } from './simulator.schema.js';

const asset = (name: string) => readFileSync(fileURLToPath(new URL(`./${name}`, import.meta.url)), 'utf8');
const PAGE = asset('simulator-page.html');
const STYLE = asset('simulator-page.css');
const SCRIPT = asset('simulator-page.js');

/**
 * The page runs only our own script and style, talks only to us, and cannot be framed (clickjacking). Images may come
 * from any https origin: catalogue items link pictures hosted elsewhere.
 */
export const SIMULATOR_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' https:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
const FINAL = new Set(['sent', 'failed', 'skipped']);
const POLL_LIMIT = 50;

/** Dependencies of the simulator routes. */
export interface SimulatorDeps {
  ingest: Ingest;
  inbox: InboxRepo;
  outbox: OutboxRepo;
  signals: Signals;
  /** How long the API waits for the pipeline before answering 202 with what it has. */
  waitMs: number;
}

function toInput(body: SimulatorMessage): UserInput {
  if (body.ref !== undefined) return { kind: 'referral', ref: body.ref };
  if (body.payload !== undefined) return { kind: 'payload', payload: body.payload, ...(body.text ? { text: body.text } : {}) };
  return { kind: 'text', text: body.text ?? '' };
}

/**
 * `GET /simulator` (the chat page) and `POST /api/simulator/messages`. The API stores the message in the inbox like
 * a webhook would, then waits until the worker has run the turn and the dispatcher has sent its replies.
 */
export function simulatorRoutes(deps: SimulatorDeps): Router {
  const router = Router();
  router.get('/simulator', (_req, res) => {
    res.type('html').set({ 'Cache-Control': 'no-store', 'Content-Security-Policy': SIMULATOR_CSP, 'X-Frame-Options': 'DENY' }).send(PAGE);
  });
  router.get('/simulator/simulator-page.css', (_req, res) => {
    res.type('css').set('Cache-Control', 'no-cache').send(STYLE);
  });
  router.get('/simulator/simulator-page.js', (_req, res) => {
    res.type('js').set('Cache-Control', 'no-cache').send(SCRIPT);
  });

  router.post('/api/simulator/messages', express.json({ limit: '1mb' }), async (req, res) => {
    // Normalised before validation, so the limits apply to what is stored (NUL and lone surrogates cannot be stored).
    const parsed = SimulatorMessageSchema.safeParse(normalizeJsonStrings(req.body));
    if (!parsed.success) return void respondError(res, 'bad_request', describeZodError(parsed.error));
    const body = parsed.data;
    const payload: InboundPayload = { userId: body.user, input: toInput(body), at: new Date().toISOString() };
    const dedupeKey = `${body.channel}:${body.user}:${body.messageId ?? randomUUID()}`;
    const laneKey = laneKeyOf('simulator', body.channel, body.user);
    const stored = await deps.ingest.store([{ channel: 'simulator', accountId: body.channel, dedupeKey, laneKey, payload }]);
    if (stored.rejected.length > 0) return void respondError(res, 'bad_request', 'This message cannot be stored; change its text and send it again.');
    const eventId = stored.inserted[0] ?? (await deps.inbox.findByDedupeKey('simulator', dedupeKey));
    if (eventId === null || eventId === undefined) throw new AppError('internal', { message: 'a simulator message was neither inserted nor found by its dedupe key' });
    const outcome = await waitForReplies(deps, eventId, laneKey);
    res.status(outcome.complete ? 200 : 202).json({
      replies: outcome.replies,
      duplicate: stored.inserted.length === 0,
      lastId: String(outcome.lastId),
      ...(outcome.complete ? {} : { pending: true }),
    });
  });

  // Messages that arrive later (a busy pipeline, and later broadcasts and reminders), for the page to poll.
  router.get('/api/simulator/messages', async (req, res) => {
    const parsed = SimulatorPollSchema.safeParse(normalizeJsonStrings({ ...req.query }));
    if (!parsed.success) return void respondError(res, 'bad_request', describeZodError(parsed.error));
    const { user, channel, after } = parsed.data;
    const laneKey = laneKeyOf('simulator', channel, user);
    const rows = await deps.outbox.sentToLane(laneKey, BigInt(after), POLL_LIMIT);
    // The rows the outbox no longer lists under this lane (anonymised tip-flow messages) come from the simulator's
    // copy; past a full page of rows, only those before its end (the rest come with the next poll).
    const listed = new Set(rows.map((r) => r.id));
    const end = rows.length === POLL_LIMIT ? rows.at(-1)!.id : null;
    const unlisted = simulatorSentToLane(laneKey, BigInt(after)).filter((k) => !listed.has(k.id) && (end === null || k.id < end));
    const all = [...rows.map((r) => ({ id: r.id, message: shown(laneKey, r) })), ...unlisted].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    res.set('Cache-Control', 'no-store').json({
      replies: all.map((r) => r.message),
      lastId: String(all.at(-1)?.id ?? after),
    });
  });
  return router;
}

// A sensitive message is erased in the outbox once sent; the simulator shows what it was handed (kept in memory).
function shown(laneKey: string, row: { id: bigint; message: unknown }): OutMessage {
  const m = row.message as OutMessage;
  return m.type === ERASED.type && m.text === ERASED.text ? (simulatorSentMessage(laneKey, row.id) ?? m) : m;
}

/**
 * Waits until the event's turn has run and its replies are sent, and likewise for the follow-up turns it asked for
 * (a model's answer arrives in one: see `effectDedupeKey`), so the simulator shows what the person would see.
 */
async function waitForReplies(deps: SimulatorDeps, eventId: bigint, laneKey: string): Promise<{ complete: boolean; replies: OutMessage[]; lastId: bigint }> {
  const deadline = Date.now() + deps.waitMs;
  const events = [eventId];
  for (;;) {
    const rows: { id: bigint; status: string; message: unknown }[] = [];
    let processed = true;
    for (const id of events) {
      const status = await deps.inbox.status(id);
      if (status !== 'done' && status !== 'failed') {
        processed = false;
        break;
      }
      rows.push(...(await deps.outbox.byInboundEvent(id)));
    }
    // The follow-up is written in the same transaction that finished the turn: once that is done, it exists or never will.
    const followUp = processed ? await deps.inbox.findByDedupeKey('simulator', effectDedupeKey(events.at(-1)!, 0)) : null;
    if (followUp !== null) {
      events.push(followUp);
      continue;
    }
    const complete = processed && rows.every((r) => FINAL.has(r.status));
    if (complete || Date.now() >= deadline) {
      const sent = rows.filter((r) => r.status === 'sent');
      return { complete, replies: sent.map((r) => shown(laneKey, r)), lastId: sent.at(-1)?.id ?? 0n };
    }
    await deps.signals.wait(processed ? 'delivered' : 'processed', 50);
  }
}
