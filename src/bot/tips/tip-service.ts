import { createHmac, randomInt, randomUUID } from 'node:crypto';
import { translate } from '../../content/i18n.js';
import type { OutMessage } from '../../content/messages.schema.js';
import { TIP_STATUSES, type TipAddResult, type TipCategory, type TipDesk, type TipDraft, type TipLookupResult, type TipStatus, type TipSubmitResult } from '../../flows/tip-desk.js';
import type { PrismaClient } from '../../store/database.js';
import { createRepos, inTransaction, type Repos } from '../../store/repos.js';
import { hashPin, submitterKey, TipCipher, verifyPin } from '../../store/tip-crypto.js';
import type { TipRow, TipScope } from '../../store/tip.repo.js';
import { laneKeyOf } from '../log-keys.js';
import { AttemptLimits, minutesUntil, secondsUntil, sourceOf } from './attempt-limits.js';
import { stripImageMetadata } from './photo-strip.js';

export type { TipScope } from '../../store/tip.repo.js';

// Unambiguous: no 0/O, 1/I/L, so a code read aloud or copied from a photo of a screen is typed right.
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
// 10 digits: 10^10 PINs. At the per-code limit (README "Anonymous tips") a known code's PIN falls with about
// 0.003 % chance a year. Tips from before keep their 6-digit PIN (`pinLength`).
const PIN_DIGITS = 10;
const HOUR_MS = 3600_000;
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

/** The sealed handle: the route, and when the tipster last wrote from it (for the platform's reply window). */
interface SealedHandle extends ReplyRoute {
  at?: string;
}

/** The outcome of a handler's sign-in: their scope, a refusal, or a block with when to come back. */
export type SignInResult = { ok: true; scope: TipScope } | { ok: false; reason: 'denied' } | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

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
  private readonly limits: AttemptLimits;
  private dummyHash: Promise<string> | undefined;
  private dummyPassword: Promise<string> | undefined;

  constructor(private readonly opts: TipServiceOptions) {
    this.text = new TipCipher(opts.encryptionKey);
    this.handles = new TipCipher(opts.handleKey);
    // A key of its own for the attempt counters, derived from TIP_HANDLE_KEY (like the daily submission salt).
    this.limits = new AttemptLimits(createHmac('sha256', opts.handleKey).update('attempt-limits').digest());
  }

  /** The tip desk for one chat turn: submissions are sealed back to `origin` only with consent. */
  desk(repos: Repos, origin: ReplyRoute, now: Date): TipDesk {
    return {
      platform: origin.channel === 'zalo' || origin.accountId === 'zalo' ? 'zalo' : origin.channel === 'messenger' || origin.accountId === 'messenger' ? 'messenger' : 'other',
      webFormUrl: this.opts.webFormUrl,
      submit: (draft) => this.submit(repos, draft, { submitter: `chat:${laneKeyOf(origin.channel, origin.accountId, origin.userId)}`, route: draft.allowReplies ? origin : null }, now),
      lookup: (code, pin) => this.lookup(repos, code, pin, { source: `chat:${laneKeyOf(origin.channel, origin.accountId, origin.userId)}`, route: origin }, now),
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
    const pin = newPin();
    const pinHash = await hashPin(pin);
    const handle: SealedHandle | null = from.route ? { ...from.route, at: now.toISOString() } : null;
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
        replyHandleCipher: handle ? this.handles.seal(JSON.stringify(handle), `${id}:handle`) : null,
        pinLength: PIN_DIGITS,
        createdAt: hourOf(now),
      });
      if (!created) continue;
      if (draft.urgent) await this.refreshUrgentAlert(repos);
      const photosFailed = await this.storePhotos(repos, id, draft.photoUrls ?? [], now);
      return { ok: true, code, pin: formatPin(pin), ...(photosFailed ? { photosFailed } : {}) };
    }
  }

  /**
   * Checks code + PIN under three limits (README "Anonymous tips"): lookups per source per hour, wrong PINs per code
   * per hour, and a backoff of this source on this code. An unknown code goes through the same limits and the same
   * hash work, so neither the answer nor its timing tells whether a code exists.
   */
  async lookup(repos: Repos, rawCode: string, rawPin: string, from: { source: string; route?: ReplyRoute }, now: Date): Promise<TipLookupResult> {
    const locked = (retryAt: Date): TipLookupResult => ({ ok: false, reason: 'locked', retryAfterMinutes: minutesUntil(retryAt, now) });
    const perSource = await this.limits.lookupSource(repos, from.source, now);
    if (!perSource.ok) return locked(perSource.retryAt);
    const code = normalizeCode(rawCode);
    const pin = rawPin.replace(/[\s.-]/g, '');
    const tip = code ? await repos.tips.byCode(code) : null;
    const gate = code ? await this.limits.lookupCode(repos, code, from.source, tip?.pinLength === 6, now) : null;
    if (gate && !gate.ok) return locked(gate.retryAt);
    // Always run the hash check, even for a malformed PIN or an unknown code, so timing says nothing either.
    const wellFormed = tip !== null && /^\d+$/.test(pin) && pin.length === tip.pinLength;
    const matches = await verifyPin(tip?.pinHash ?? (await this.dummy()), wellFormed ? pin : 'not-a-pin');
    if (!tip || !wellFormed || !matches) return { ok: false, reason: 'wrong' };
    if (gate?.ok) await gate.succeeded();
    if (from.route) await this.refreshHandle(repos, tip, from.route, now);
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
    await repos.tips.addMessage(tip.id, 'tipster', this.text.seal(text, `${tip.id}:message`), hourOf(now));
    return { ok: true };
  }

  // --- web form (no chat turn: each call is its own transaction) ---

  /** Stores a tip from the web form; `clientAddress` only feeds the keyed daily rate-limit hash and is never stored. */
  async submitFromWeb(draft: Omit<TipDraft, 'allowReplies'>, clientAddress: string, now = new Date()): Promise<TipSubmitResult> {
    return inTransaction(this.opts.prisma, (repos) => this.submit(repos, { ...draft, allowReplies: false }, { submitter: `web:${clientAddress}`, route: null }, now));
  }

  /** Code + PIN check for the web follow-up page; `clientAddress` only feeds the keyed limit hashes. */
  async lookupFromWeb(code: string, pin: string, clientAddress: string, now = new Date()): Promise<TipLookupResult> {
    return inTransaction(this.opts.prisma, (repos) => this.lookup(repos, code, pin, { source: `web:${sourceOf(clientAddress)}` }, now));
  }

  /** Adds information from the web follow-up page (with the grant it was given). */
  async addInfoFromWeb(grant: string, text: string, now = new Date()): Promise<TipAddResult> {
    return inTransaction(this.opts.prisma, (repos) => this.addInfo(repos, grant, text, now));
  }

  // --- handler side ---

  /**
   * Signs a handler in (HTTP Basic on every request): failures are limited per source address and per account, the
   * account's scope is resolved. Unknown accounts cost the same hash work, so timing does not tell which exist.
   * Outside a transaction: argon2 must not hold the database's only connection (embedded mode).
   */
  async signIn(email: string, password: string, clientAddress: string, now = new Date()): Promise<SignInResult> {
    const repos = createRepos(this.opts.prisma);
    const account = email.trim().toLowerCase();
    const gate = await this.limits.signIn(repos, account, clientAddress, now);
    if (!gate.ok) return { ok: false, reason: 'throttled', retryAfterSeconds: secondsUntil(gate.retryAt, now) };
    const staff = await repos.staff.byEmail(account);
    const matches = await verifyPin(staff?.passwordHash ?? (await (this.dummyPassword ??= hashPin('not-a-password'))), password);
    if (!staff || !matches || (staff.role !== 'tip_handler' && staff.role !== 'admin')) return { ok: false, reason: 'denied' };
    await gate.succeeded();
    if (staff.role === 'admin') return { ok: true, scope: { kind: 'all' } };
    if (staff.officeId) return { ok: true, scope: { kind: 'office', schoolIds: await repos.staff.schoolIdsOfOffice(staff.officeId) } };
    if (staff.schoolId) return { ok: true, scope: { kind: 'school', schoolId: staff.schoolId } };
    return { ok: true, scope: { kind: 'none' } };
  }

  /** Tips of the handler's scope for their inbox (no text), urgent unacknowledged first. */
  async list(scope: TipScope, filter: { status?: string; limit?: number } = {}) {
    return inTransaction(this.opts.prisma, (repos) => repos.tips.list({ ...(filter.status ? { status: filter.status } : {}), limit: Math.min(filter.limit ?? 100, 500) }, scope));
  }

  /** One tip of the handler's scope, decrypted, with its thread; null outside the scope. Never includes the handle. */
  async view(scope: TipScope, id: string): Promise<TipDetail | null> {
    return inTransaction(this.opts.prisma, async (repos) => {
      const tip = await repos.tips.byId(id, scope);
      if (!tip) return null;
      const messages = await repos.tips.messages(tip.id);
      const photos = (await repos.tips.attachments(tip.id)).map((a) => ({ id: a.id, mime: a.mime }));
      return this.detail(tip, messages.map((m) => ({ author: m.author, text: this.text.open(m.bodyCipher, `${tip.id}:message`), at: m.createdAt })), photos);
    });
  }

  /** One photo of a tip of the handler's scope, decrypted, or null. */
  async photo(scope: TipScope, tipId: string, id: string): Promise<{ mime: string; data: Buffer } | null> {
    return inTransaction(this.opts.prisma, async (repos) => {
      if (!(await repos.tips.byId(tipId, scope))) return null;
      const a = await repos.tips.attachment(tipId, id);
      return a ? { mime: a.mime, data: this.text.openBytes(a.dataCipher, `${tipId}:attachment:${a.id}`) } : null;
    });
  }

  /** Moves a tip through new → triaged → in_progress → closed (closing needs an outcome and deletes the handle). */
  async setStatus(scope: TipScope, id: string, status: string, outcome?: string): Promise<TipActionResult> {
    if (!(TIP_STATUSES as readonly string[]).includes(status)) return { ok: false, reason: 'invalid' };
    if (status === 'closed' && !(TIP_OUTCOMES as readonly string[]).includes(outcome ?? '')) return { ok: false, reason: 'invalid' };
    return inTransaction(this.opts.prisma, async (repos) => {
      const tip = await repos.tips.byId(id, scope);
      if (!tip) return { ok: false, reason: 'not_found' } as const;
      await repos.tips.setStatus(id, status, status === 'closed' ? outcome! : null, hourOf(new Date()));
      // A closed urgent tip no longer needs anyone's attention.
      if (status === 'closed' && tip.urgent) await this.refreshUrgentAlert(repos);
      return { ok: true } as const;
    });
  }

  /** A handler has seen an urgent tip: it stops counting in the open urgent alert (resolved when none are left). */
  async acknowledge(scope: TipScope, id: string): Promise<TipActionResult> {
    return inTransaction(this.opts.prisma, async (repos) => {
      const tip = await repos.tips.byId(id, scope);
      if (!tip) return { ok: false, reason: 'not_found' } as const;
      await repos.tips.acknowledge(id, hourOf(new Date()));
      await this.refreshUrgentAlert(repos);
      return { ok: true } as const;
    });
  }

  /**
   * Adds a handler's reply to the thread. If the tipster agreed to replies, the sealed handle is opened here, inside
   * the service, and a sensitive notice (no code, no text) is queued to them; the handler learns only `notified`.
   * The reply is dated to the hour and the notice row is anonymised once sent, so the two do not line up.
   */
  async reply(scope: TipScope, id: string, text: string): Promise<TipActionResult & { notified?: boolean }> {
    if (!text.trim()) return { ok: false, reason: 'invalid' };
    return inTransaction(this.opts.prisma, async (repos) => {
      const tip = await repos.tips.byId(id, scope);
      if (!tip) return { ok: false, reason: 'not_found' } as const;
      await repos.tips.addMessage(tip.id, 'handler', this.text.seal(text.trim(), `${tip.id}:message`), hourOf(new Date()));
      if (!tip.replyHandleCipher || tip.status === 'closed') return { ok: true, notified: false } as const;
      const route = JSON.parse(this.handles.open(tip.replyHandleCipher, `${tip.id}:handle`)) as SealedHandle;
      const message: OutMessage = {
        type: 'buttons',
        text: translate('vi', 'tip.replyNotice'),
        buttons: [{ title: translate('vi', 'menu.tipFollowUp'), payload: 'FLOW:tip_followup' }],
      };
      const at = route.at ? new Date(route.at) : null;
      await repos.outbox.enqueue([
        {
          contactId: await repos.tips.contactIdOf(route.channel, route.accountId, route.userId),
          channel: route.channel,
          accountId: route.accountId,
          recipient: route.userId,
          laneKey: laneKeyOf(route.channel, route.accountId, route.userId),
          message,
          sensitive: true,
          // Tip-flow turns leave the contact's lastInteractionAt alone; the handle knows when they last wrote.
          interactionAt: at && !Number.isNaN(at.getTime()) ? at : null,
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
      await repos.throttle.prune(new Date(now.getTime() - DAY_MS), now);
      return { deletedTips, wipedHandles, deletedDrafts };
    });
  }

  private async refreshUrgentAlert(repos: Repos): Promise<void> {
    const waiting = await repos.tips.countUnacknowledgedUrgent();
    if (waiting === 0) await repos.alerts.resolve(URGENT_TIP_ALERT, { coarse: true });
    else await repos.alerts.raise(URGENT_TIP_ALERT, `Tin báo khẩn cấp chờ cán bộ xác nhận: ${waiting} / Urgent tips awaiting acknowledgement: ${waiting}`, { coarse: true });
  }

  // Photos are fetched at submit time (inside the turn, bounded by size and time), stripped of EXIF/GPS and other
  // metadata, then encrypted; the platform address is not kept. Returns how many could not be stored.
  private async storePhotos(repos: Repos, tipId: string, urls: string[], now: Date): Promise<number> {
    let failed = 0;
    for (const url of urls.slice(0, 3)) {
      const raw = await (this.opts.fetchImage ?? fetchImage)(url).catch(() => null);
      const clean = raw ? stripImageMetadata(raw) : null;
      if (!clean) {
        failed += 1;
        continue;
      }
      const attachmentId = randomUUID();
      await repos.tips.addAttachment(tipId, clean.mime, this.text.seal(clean.data, `${tipId}:attachment:${attachmentId}`), hourOf(now), attachmentId);
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

  // A right PIN from the very chat the replies go back to: the handle learns this newer time, so a later reply notice
  // is sent while the platform's window is still open (the contact row does not move for tip-flow turns).
  private async refreshHandle(repos: Repos, tip: TipRow, origin: ReplyRoute, now: Date): Promise<void> {
    if (!tip.replyHandleCipher || tip.status === 'closed') return;
    let route: SealedHandle;
    try {
      route = JSON.parse(this.handles.open(tip.replyHandleCipher, `${tip.id}:handle`)) as SealedHandle;
    } catch {
      return;
    }
    if (route.channel !== origin.channel || route.accountId !== origin.accountId || route.userId !== origin.userId) return;
    await repos.tips.setReplyHandle(tip.id, this.handles.seal(JSON.stringify({ ...route, at: now.toISOString() }), `${tip.id}:handle`));
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
    return (this.dummyHash ??= hashPin(newPin()));
  }
}

/** A new PIN: 10 random digits. */
function newPin(): string {
  return String(randomInt(0, 10 ** PIN_DIGITS)).padStart(PIN_DIGITS, '0');
}

/** Groups a PIN for reading like a phone number: "4821 730 956" (6-digit PINs: "482 173"). */
export function formatPin(pin: string): string {
  return pin.length === 10 ? `${pin.slice(0, 4)} ${pin.slice(4, 7)} ${pin.slice(7)}` : pin.length === 6 ? `${pin.slice(0, 3)} ${pin.slice(3)}` : pin;
}

/** `d` truncated to the hour: the resolution of every stored tip time. */
export function hourOf(d: Date): Date {
  return new Date(Math.floor(d.getTime() / HOUR_MS) * HOUR_MS);
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
