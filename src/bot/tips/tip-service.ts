import { randomInt, randomUUID } from 'node:crypto';
import { translate } from '../../content/i18n.js';
import type { OutMessage } from '../../content/messages.schema.js';
import { TIP_STATUSES, type TipAddResult, type TipCategory, type TipDesk, type TipDraft, type TipLookupResult, type TipStatus, type TipSubmitResult } from '../../flows/tip-desk.js';
import type { PrismaClient } from '../../store/database.js';
import { inTransaction, type Repos } from '../../store/repos.js';
import { hashPin, submitterKey, TipCipher, verifyPin } from '../../store/tip-crypto.js';
import type { TipRow } from '../../store/tip.repo.js';
import { laneKeyOf } from '../log-keys.js';
import { stripImageMetadata } from './photo-strip.js';

// Unambiguous: no 0/O, 1/I/L, so a code read aloud or copied from a photo of a screen is typed right.
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const MAX_PIN_FAILURES = 5;
const LOCK_MS = 15 * 60_000;
const GRANT_MS = 30 * 60_000;
const DAY_MS = 24 * 3600_000;
const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
const PHOTO_TIMEOUT_MS = 5000;
/** Flows whose conversation state may hold a tip draft or a follow-up grant. */
export const TIP_FLOW_IDS = ['tip', 'tip_followup'];
/** Kind of the SystemAlert open while an urgent tip waits for a handler. */
export const URGENT_TIP_ALERT = 'urgent_tip';
/** Outcomes a closed tip may have. */
export const TIP_OUTCOMES = ['resolved', 'referred', 'no_action', 'duplicate', 'spam'] as const;
export type TipOutcome = (typeof TIP_OUTCOMES)[number];

/** Where a handler's reply goes back to: sealed, never shown. */
export interface ReplyRoute {
  channel: string;
  accountId: string;
  userId: string;
}

/** A tip as a handler sees it: decrypted text, never who sent it. */
export interface TipDetail {
  id: string;
  code: string;
  category: string;
  urgent: boolean;
  status: string;
  outcome: string | null;
  schoolId: string | null;
  description: string;
  place: string | null;
  /** Whether the tipster can be answered in chat (the route itself stays sealed). */
  canReply: boolean;
  acknowledgedAt: Date | null;
  createdAt: Date;
  closedAt: Date | null;
  messages: { author: string; text: string; at: Date }[];
  /** Photos (metadata stripped); fetch one with `photo(tipId, id)`. */
  photos: { id: string; mime: string }[];
}

/** A handler-side failure. */
export type TipActionResult = { ok: true } | { ok: false; reason: 'not_found' | 'invalid' };

/** Options of the tip service. */
export interface TipServiceOptions {
  prisma: PrismaClient;
  encryptionKey: Buffer;
  handleKey: Buffer;
  /** Absolute or relative address of the web form (`/tip`). */
  webFormUrl: string;
  retentionDays: number;
  /** Tips one submitter may send per UTC day. */
  dailyLimit?: number;
  /** Fetches a photo from the platform's address (tests inject one); default: HTTPS only, 5 MB, 5 s. */
  fetchImage?: (url: string) => Promise<Buffer | null>;
}

/**
 * Anonymous tips (DESIGN.md §4): creates them encrypted and unlinked from any contact, checks code + PIN, and gives
 * handlers triage, replies through sealed handles and retention. Nothing here logs.
 */
export class TipService {
  private readonly text: TipCipher;
  private readonly handles: TipCipher;
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly opts: TipServiceOptions) {
    this.text = new TipCipher(opts.encryptionKey);
    this.handles = new TipCipher(opts.handleKey);
  }

  /** The tip desk for one chat turn: submissions are sealed back to `origin` only with consent. */
  desk(repos: Repos, origin: ReplyRoute, now: Date): TipDesk {
    return {
      platform: origin.channel === 'zalo' || origin.accountId === 'zalo' ? 'zalo' : origin.channel === 'messenger' || origin.accountId === 'messenger' ? 'messenger' : 'other',
      webFormUrl: this.opts.webFormUrl,
      submit: (draft) => this.submit(repos, draft, { submitter: `chat:${laneKeyOf(origin.channel, origin.accountId, origin.userId)}`, route: draft.allowReplies ? origin : null }, now),
      lookup: (code, pin) => this.lookup(repos, code, pin, now),
      addInfo: (grant, text) => this.addInfo(repos, grant, text, now),
      sealForState: (value) => this.text.seal(value, 'state'),
      openFromState: (sealed) => {
        try {
          return this.text.open(sealed, 'state');
        } catch {
          return null;
        }
      },
    };
  }

  /** Stores a tip: rate-limited by a keyed daily hash of `submitter`, which itself is never stored. */
  async submit(repos: Repos, draft: TipDraft, from: { submitter: string; route: ReplyRoute | null }, now: Date): Promise<TipSubmitResult> {
    const day = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
    if (!(await repos.tips.takeSubmission(submitterKey(this.opts.handleKey, from.submitter, now), day, this.opts.dailyLimit ?? 5))) {
      return { ok: false, reason: 'rate_limited' };
    }
    const pin = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const pinHash = await hashPin(pin);
    for (;;) {
      const id = randomUUID();
      const code = newCode();
      const created = await repos.tips.create({
        id,
        publicCode: code,
        pinHash,
        category: draft.category,
        urgent: draft.urgent,
        schoolId: draft.schoolId,
        descriptionCipher: this.text.seal(draft.description, `${id}:description`),
        placeCipher: draft.place ? this.text.seal(draft.place, `${id}:place`) : null,
        replyHandleCipher: from.route ? this.handles.seal(JSON.stringify(from.route), `${id}:handle`) : null,
      });
      if (!created) continue;
      if (draft.urgent) await this.refreshUrgentAlert(repos);
      const photosFailed = await this.storePhotos(repos, id, draft.photoUrls ?? []);
      return { ok: true, code, pin, ...(photosFailed ? { photosFailed } : {}) };
    }
  }

  /** Checks code + PIN; five wrong PINs in a row lock the tip for 15 minutes. */
  async lookup(repos: Repos, rawCode: string, pin: string, now: Date): Promise<TipLookupResult> {
    const code = normalizeCode(rawCode);
    const tip = code ? await repos.tips.byCode(code) : null;
    if (!tip) {
      // Same work as a real check, so timing does not tell whether a code exists.
      await verifyPin(await this.dummy(), pin);
      return { ok: false, reason: 'wrong' };
    }
    const attempt = await repos.tips.claimPinAttempt(tip.id, MAX_PIN_FAILURES, new Date(now.getTime() + LOCK_MS), now);
    if (!attempt.allowed) return { ok: false, reason: 'locked' };
    // Always run the hash check, even for a malformed PIN, so timing says nothing either.
    const matches = await verifyPin(tip.pinHash, /^\d{6}$/.test(pin) ? pin : '000000-invalid');
    if (!matches || !/^\d{6}$/.test(pin)) return { ok: false, reason: attempt.last ? 'locked' : 'wrong' };
    await repos.tips.resetPinFailures(tip.id);
    const messages = await repos.tips.messages(tip.id);
    return {
      ok: true,
      grant: this.text.seal(`${tip.id}|${now.getTime() + GRANT_MS}`, 'grant'),
      tip: {
        code: tip.publicCode,
        category: tip.category as TipCategory,
        status: toStatus(tip.status),
        createdAt: tip.createdAt,
        replies: messages.filter((m) => m.author === 'handler').map((m) => ({ at: m.createdAt, text: this.text.open(m.bodyCipher, `${tip.id}:message`) })),
      },
    };
  }

  /** Adds the tipster's message to the tip a grant (from `lookup`) names. */
  async addInfo(repos: Repos, grant: string, text: string, now: Date): Promise<TipAddResult> {
    const tipId = this.openGrant(grant, now);
    const tip = tipId ? await repos.tips.byId(tipId) : null;
    if (!tip) return { ok: false, reason: 'expired' };
    if (tip.status === 'closed') return { ok: false, reason: 'closed' };
    await repos.tips.addMessage(tip.id, 'tipster', this.text.seal(text, `${tip.id}:message`));
    return { ok: true };
  }

  // --- web form (no chat turn: each call is its own transaction) ---

  /** Stores a tip from the web form; `clientAddress` only feeds the keyed daily rate-limit hash and is never stored. */
  async submitFromWeb(draft: Omit<TipDraft, 'allowReplies'>, clientAddress: string, now = new Date()): Promise<TipSubmitResult> {
    return inTransaction(this.opts.prisma, (repos) => this.submit(repos, { ...draft, allowReplies: false }, { submitter: `web:${clientAddress}`, route: null }, now));
  }

  /** Code + PIN check for the web follow-up page. */
  async lookupFromWeb(code: string, pin: string, now = new Date()): Promise<TipLookupResult> {
    return inTransaction(this.opts.prisma, (repos) => this.lookup(repos, code, pin, now));
  }

  /** Adds information from the web follow-up page (with the grant it was given). */
  async addInfoFromWeb(grant: string, text: string, now = new Date()): Promise<TipAddResult> {
    return inTransaction(this.opts.prisma, (repos) => this.addInfo(repos, grant, text, now));
  }

  // --- handler side ---

  /** Tips for the handlers' inbox (no text), urgent unacknowledged first. */
  async list(filter: { status?: string; limit?: number } = {}) {
    return inTransaction(this.opts.prisma, (repos) => repos.tips.list({ ...(filter.status ? { status: filter.status } : {}), limit: Math.min(filter.limit ?? 100, 500) }));
  }

  /** One tip, decrypted, with its thread. Never includes the sealed handle. */
  async view(id: string): Promise<TipDetail | null> {
    return inTransaction(this.opts.prisma, async (repos) => {
      const tip = await repos.tips.byId(id);
      if (!tip) return null;
      const messages = await repos.tips.messages(tip.id);
      const photos = (await repos.tips.attachments(tip.id)).map((a) => ({ id: a.id, mime: a.mime }));
      return this.detail(tip, messages.map((m) => ({ author: m.author, text: this.text.open(m.bodyCipher, `${tip.id}:message`), at: m.createdAt })), photos);
    });
  }

  /** One photo of a tip, decrypted, or null. */
  async photo(tipId: string, id: string): Promise<{ mime: string; data: Buffer } | null> {
    return inTransaction(this.opts.prisma, async (repos) => {
      const a = await repos.tips.attachment(tipId, id);
      return a ? { mime: a.mime, data: this.text.openBytes(a.dataCipher, `${tipId}:attachment:${a.id}`) } : null;
    });
  }

  /** Moves a tip through new → triaged → in_progress → closed (closing needs an outcome and deletes the handle). */
  async setStatus(id: string, status: string, outcome?: string): Promise<TipActionResult> {
    if (!(TIP_STATUSES as readonly string[]).includes(status)) return { ok: false, reason: 'invalid' };
    if (status === 'closed' && !(TIP_OUTCOMES as readonly string[]).includes(outcome ?? '')) return { ok: false, reason: 'invalid' };
    return inTransaction(this.opts.prisma, async (repos) => {
      const tip = await repos.tips.byId(id);
      if (!tip) return { ok: false, reason: 'not_found' } as const;
      await repos.tips.setStatus(id, status, status === 'closed' ? outcome! : null, new Date());
      // A closed urgent tip no longer needs anyone's attention.
      if (status === 'closed' && tip.urgent) await this.refreshUrgentAlert(repos);
      return { ok: true } as const;
    });
  }

  /** A handler has seen an urgent tip: it stops counting in the open urgent alert (resolved when none are left). */
  async acknowledge(id: string): Promise<TipActionResult> {
    return inTransaction(this.opts.prisma, async (repos) => {
      const tip = await repos.tips.byId(id);
      if (!tip) return { ok: false, reason: 'not_found' } as const;
      await repos.tips.acknowledge(id, new Date());
      await this.refreshUrgentAlert(repos);
      return { ok: true } as const;
    });
  }

  /**
   * Adds a handler's reply to the thread. If the tipster agreed to replies, the sealed handle is opened here, inside
   * the service, and a sensitive notice (no code, no text) is queued to them; the handler learns only `notified`.
   */
  async reply(id: string, text: string): Promise<TipActionResult & { notified?: boolean }> {
    if (!text.trim()) return { ok: false, reason: 'invalid' };
    return inTransaction(this.opts.prisma, async (repos) => {
      const tip = await repos.tips.byId(id);
      if (!tip) return { ok: false, reason: 'not_found' } as const;
      await repos.tips.addMessage(tip.id, 'handler', this.text.seal(text.trim(), `${tip.id}:message`));
      if (!tip.replyHandleCipher || tip.status === 'closed') return { ok: true, notified: false } as const;
      const route = JSON.parse(this.handles.open(tip.replyHandleCipher, `${tip.id}:handle`)) as ReplyRoute;
      const message: OutMessage = {
        type: 'buttons',
        text: translate('vi', 'tip.replyNotice'),
        buttons: [{ title: translate('vi', 'menu.tipFollowUp'), payload: 'FLOW:tip_followup' }],
      };
      await repos.outbox.enqueue([
        {
          contactId: await repos.tips.contactIdOf(route.channel, route.accountId, route.userId),
          channel: route.channel,
          accountId: route.accountId,
          recipient: route.userId,
          laneKey: laneKeyOf(route.channel, route.accountId, route.userId),
          message,
          sensitive: true,
        },
      ]);
      return { ok: true, notified: true } as const;
    });
  }

  /**
   * Retention: deletes tips closed more than `retentionDays` ago, any handle left on a closed tip, tip drafts of
   * expired conversations and old submission counters.
   */
  async sweep(now = new Date()): Promise<{ deletedTips: number; wipedHandles: number; deletedDrafts: number }> {
    return inTransaction(this.opts.prisma, async (repos) => {
      const deletedTips = await repos.tips.deleteClosedBefore(new Date(now.getTime() - this.opts.retentionDays * DAY_MS));
      const wipedHandles = await repos.tips.wipeClosedHandles();
      const deletedDrafts = await repos.tips.deleteExpiredDrafts(TIP_FLOW_IDS, now);
      await repos.tips.pruneSubmissionWindows(new Date(now.getTime() - DAY_MS));
      return { deletedTips, wipedHandles, deletedDrafts };
    });
  }

  private async refreshUrgentAlert(repos: Repos): Promise<void> {
    const waiting = await repos.tips.countUnacknowledgedUrgent();
    if (waiting === 0) await repos.alerts.resolve(URGENT_TIP_ALERT);
    else await repos.alerts.raise(URGENT_TIP_ALERT, `Tin báo khẩn cấp chờ cán bộ xác nhận: ${waiting} / Urgent tips awaiting acknowledgement: ${waiting}`);
  }

  // Photos are fetched at submit time (inside the turn, bounded by size and time), stripped of EXIF/GPS and other
  // metadata, then encrypted; the platform address is not kept. Returns how many could not be stored.
  private async storePhotos(repos: Repos, tipId: string, urls: string[]): Promise<number> {
    let failed = 0;
    for (const url of urls.slice(0, 3)) {
      const raw = await (this.opts.fetchImage ?? fetchImage)(url).catch(() => null);
      const clean = raw ? stripImageMetadata(raw) : null;
      if (!clean) {
        failed += 1;
        continue;
      }
      const attachmentId = randomUUID();
      await repos.tips.addAttachment(tipId, clean.mime, this.text.seal(clean.data, `${tipId}:attachment:${attachmentId}`), attachmentId);
    }
    return failed;
  }

  private detail(tip: TipRow, messages: TipDetail['messages'], photos: TipDetail['photos'] = []): TipDetail {
    return {
      id: tip.id,
      code: tip.publicCode,
      category: tip.category,
      urgent: tip.urgent,
      status: tip.status,
      outcome: tip.outcome,
      schoolId: tip.schoolId,
      description: this.text.open(tip.descriptionCipher, `${tip.id}:description`),
      place: tip.placeCipher ? this.text.open(tip.placeCipher, `${tip.id}:place`) : null,
      canReply: tip.replyHandleCipher !== null,
      acknowledgedAt: tip.acknowledgedAt,
      createdAt: tip.createdAt,
      closedAt: tip.closedAt,
      messages,
      photos,
    };
  }

  private openGrant(grant: string, now: Date): string | null {
    try {
      const [tipId, until] = this.text.open(grant, 'grant').split('|');
      return tipId && Number(until) > now.getTime() ? tipId : null;
    } catch {
      return null;
    }
  }

  private dummy(): Promise<string> {
    return (this.dummyHash ??= hashPin(String(randomInt(0, 1_000_000)).padStart(6, '0')));
  }
}

/** A new public code like `TB-K7QM-3XRP`. */
export function newCode(): string {
  const pick = () => Array.from({ length: 4 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
  return `TB-${pick()}-${pick()}`;
}

/** Reads a code as people type it ("tb k7qm 3xrp", "K7QM3XRP") into `TB-K7QM-3XRP`, or null. */
export function normalizeCode(raw: string): string | null {
  let s = raw.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (s.startsWith('TB') && s.length === 10) s = s.slice(2);
  if (s.length !== 8 || [...s].some((ch) => !CODE_ALPHABET.includes(ch))) return null;
  return `TB-${s.slice(0, 4)}-${s.slice(4)}`;
}

/** Downloads a photo from a platform CDN: HTTPS only, at most 5 MB, within 5 seconds; null otherwise. */
async function fetchImage(url: string): Promise<Buffer | null> {
  if (!url.startsWith('https://')) return null;
  const res = await fetch(url, { signal: AbortSignal.timeout(PHOTO_TIMEOUT_MS), redirect: 'follow' });
  if (!res.ok || !res.body) return null;
  if (Number(res.headers.get('content-length') ?? 0) > MAX_PHOTO_BYTES) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += (chunk as Uint8Array).length;
    if (size > MAX_PHOTO_BYTES) return null;
    chunks.push(Buffer.from(chunk as Uint8Array));
  }
  return Buffer.concat(chunks);
}

function toStatus(s: string): TipStatus {
  return (TIP_STATUSES as readonly string[]).includes(s) ? (s as TipStatus) : 'new';
}
