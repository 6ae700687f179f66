// Paced chat traffic: `contacts` people (half on Messenger as students, half on Zalo as parents) write through signed
// webhooks at `ratePerSecond` in total (an open-loop schedule: at each tick one contact that is not waiting for a
// reply writes its next step). Latency is from just before the webhook request to the first Send API call for that
// contact at the platform double. The doubles' recordings are drained every 20 ms (read, then reset), so this
// process does not grow with the run either.
import { signMessenger, signZalo, MESSENGER_APP_SECRET, ZALO_OA_ID } from '../test/helpers/channels.js';
import type { MessengerDouble } from '../test/doubles/messenger-double.js';
import type { ZaloDouble } from '../test/doubles/zalo-double.js';
import { messengerButtons, nextInput, zaloButtons, type Input, type WalkerState } from './walks.js';

/** Traffic classes: every one but NTT-6A1, whose parents get the broadcast (the traffic's replies stay apart from it). */
const CLASS_CODES = ['NTT-6A2', 'NTT-7A1', 'NTT-8A1', 'NTT-9A1', 'TP-1A', 'TP-2A', 'TP-3A', 'TP-4A', 'TP-5A'];

interface Contact extends WalkerState {
  id: string;
  channel: 'messenger' | 'zalo';
  seq: number;
  waiting: { sentAt: number; minute: number; timer: NodeJS.Timeout } | null;
  idle: boolean;
}

/** Counts for one minute of the run (latencies by the minute the message was sent). */
export interface MinuteTraffic {
  sent: number;
  latencies: number[];
  timeouts: number;
  webhookErrors: number;
  offScript: number;
  /** Ticks of the schedule that found every contact waiting (the bot was slower than the pace). */
  noIdleContact: number;
  broadcastCalls: number;
  otherCalls: number;
  byGoal: Record<string, number>;
}

const emptyMinute = (): MinuteTraffic => ({ sent: 0, latencies: [], timeouts: 0, webhookErrors: 0, offScript: 0, noIdleContact: 0, broadcastCalls: 0, otherCalls: 0, byGoal: {} });

export interface TrafficOptions {
  serverUrl: string;
  messenger: MessengerDouble;
  zalo: ZaloDouble;
  contacts: number;
  ratePerSecond: number;
  /** A contact waits at least this long after its reply before it may be picked again (ms). */
  minThinkMs: number;
  replyTimeoutMs: number;
  /** Recipients of the broadcast (their Send API calls are counted apart). */
  broadcastRecipients: Set<string>;
  /** Distinguishes this run's ids. */
  tag: string;
}

export class Traffic {
  readonly minutes: MinuteTraffic[] = [];
  /** Send API calls per broadcast recipient, and when the first and last arrived. */
  readonly broadcast = { perRecipient: new Map<string, number>(), firstAt: 0, lastAt: 0 };
  private readonly contacts = new Map<string, Contact>();
  private readonly idle: Contact[] = [];
  private startedAt = 0;
  private pacing: NodeJS.Timeout | undefined;
  private draining: NodeJS.Timeout | undefined;
  private running = false;
  private ticks = 0;
  private inFlight = 0;

  constructor(private readonly opts: TrafficOptions) {
    for (let i = 0; i < opts.contacts; i++) {
      const messenger = i % 2 === 0;
      const id = messenger ? `61${opts.tag}${String(i).padStart(8, '0')}` : `55${opts.tag}${String(i).padStart(12, '0')}`;
      const c: Contact = {
        id,
        channel: messenger ? 'messenger' : 'zalo',
        role: messenger ? 'student' : 'parent',
        classCode: CLASS_CODES[i % CLASS_CODES.length]!,
        goal: i, // contacts start their cycle at different goals
        step: 0,
        repeats: 0,
        onboarded: false,
        pledged: false,
        offered: [],
        seq: 0,
        waiting: null,
        idle: true,
      };
      this.contacts.set(id, c);
      this.idle.push(c);
    }
  }

  /** What the contacts have done: onboarded, pledged (tapped the consent button). */
  progress(): { onboarded: number; pledged: number } {
    const cs = [...this.contacts.values()];
    return { onboarded: cs.filter((c) => c.onboarded).length, pledged: cs.filter((c) => c.pledged).length };
  }

  /** The minute of the run a moment falls in (0-based). */
  minuteOf(at: number): number {
    return Math.max(0, Math.floor((at - this.startedAt) / 60_000));
  }

  bucket(minute: number): MinuteTraffic {
    while (this.minutes.length <= minute) this.minutes.push(emptyMinute());
    return this.minutes[minute]!;
  }

  /** Starts the schedule and the drain of the doubles; `startedAt` is minute 0's start. */
  start(startedAt: number): void {
    this.startedAt = startedAt;
    this.running = true;
    this.draining = setInterval(() => this.drain(), 20);
    const tick = () => {
      if (!this.running) return;
      this.ticks++;
      this.writeOne();
      const next = this.startedAt + (this.ticks * 1000) / this.opts.ratePerSecond;
      this.pacing = setTimeout(tick, Math.max(0, next - Date.now()));
    };
    tick();
  }

  /** Stops writing; waits (up to `ms`) for the replies still expected, then stops the drain. */
  async stop(ms: number): Promise<void> {
    this.running = false;
    clearTimeout(this.pacing);
    const end = Date.now() + ms;
    while ((this.inFlight > 0 || [...this.contacts.values()].some((c) => c.waiting)) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    for (const c of this.contacts.values()) if (c.waiting) clearTimeout(c.waiting.timer);
    this.drain();
    clearInterval(this.draining);
  }

  private writeOne(): void {
    const now = Date.now();
    const minute = this.minuteOf(now);
    if (this.idle.length === 0) {
      this.bucket(minute).noIdleContact++;
      return;
    }
    const k = Math.floor(Math.random() * this.idle.length);
    const c = this.idle[k]!;
    this.idle[k] = this.idle[this.idle.length - 1]!;
    this.idle.pop();
    c.idle = false;
    const { input, offScript, goal } = nextInput(c);
    const b = this.bucket(minute);
    if (offScript) b.offScript++;
    b.byGoal[goal] = (b.byGoal[goal] ?? 0) + 1;
    b.sent++;
    c.offered = [];
    void this.post(c, input, minute);
  }

  private async post(c: Contact, input: Input, minute: number): Promise<void> {
    const mid = `soak-${this.opts.tag}-${c.id}-${c.seq++}`;
    const { url, body, headers } = c.channel === 'messenger' ? this.messengerRequest(c, input, mid) : this.zaloRequest(c, input, mid);
    const sentAt = Date.now();
    c.waiting = { sentAt, minute, timer: setTimeout(() => this.timedOut(c), this.opts.replyTimeoutMs) };
    this.inFlight++;
    const status = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, signal: AbortSignal.timeout(10_000) }).then(
      async (res) => {
        await res.arrayBuffer();
        return res.status;
      },
      () => 0,
    );
    this.inFlight--;
    if (status !== 200) {
      this.bucket(minute).webhookErrors++;
      if (c.waiting) {
        clearTimeout(c.waiting.timer);
        c.waiting = null;
      }
      this.becomeIdle(c, 1_000);
    }
  }

  private messengerRequest(c: Contact, input: Input, mid: string) {
    const pageId = this.opts.messenger.pageId;
    const now = Date.now();
    const item =
      input.kind === 'tap' && input.via === 'postback'
        ? { sender: { id: c.id }, recipient: { id: pageId }, timestamp: now, postback: { mid, title: input.title, payload: input.payload } }
        : input.kind === 'tap'
          ? { sender: { id: c.id }, recipient: { id: pageId }, timestamp: now, message: { mid, text: input.title || input.payload, quick_reply: { payload: input.payload } } }
          : { sender: { id: c.id }, recipient: { id: pageId }, timestamp: now, message: { mid, text: input.text } };
    const body = JSON.stringify({ object: 'page', entry: [{ id: pageId, time: now, messaging: [item] }] });
    return { url: `${this.opts.serverUrl}/webhooks/messenger`, body, headers: { 'x-hub-signature-256': signMessenger(body, MESSENGER_APP_SECRET) } };
  }

  private zaloRequest(c: Contact, input: Input, mid: string) {
    const at = String(Date.now());
    const text = input.kind === 'tap' ? `#${input.payload}` : input.text;
    const body = JSON.stringify({
      app_id: this.opts.zalo.appId,
      user_id_by_app: `9${c.id}`,
      event_name: 'user_send_text',
      timestamp: at,
      sender: { id: c.id },
      recipient: { id: ZALO_OA_ID },
      message: { msg_id: mid, text },
    });
    return { url: `${this.opts.serverUrl}/webhooks/zalo`, body, headers: { 'x-zevent-signature': signZalo(this.opts.zalo.appId, body, at) } };
  }

  private timedOut(c: Contact): void {
    if (!c.waiting) return;
    this.bucket(c.waiting.minute).timeouts++;
    c.waiting = null;
    // Whatever it was doing is abandoned: the next step starts a goal afresh.
    c.offered = [];
    this.becomeIdle(c, 0);
  }

  private becomeIdle(c: Contact, afterMs: number): void {
    const go = () => {
      if (c.idle || c.waiting) return;
      c.idle = true;
      this.idle.push(c);
    };
    if (afterMs > 0) setTimeout(go, afterMs);
    else go();
  }

  /** Takes what the doubles received since the last drain and forgets it there. */
  private drain(): void {
    const m = this.opts.messenger.sent();
    this.opts.messenger.reset();
    const z = this.opts.zalo.sent();
    this.opts.zalo.reset();
    for (const s of m) this.received(s.recipientId, s.at, messengerButtons(s.message));
    for (const s of z) if (s.kind === 'user') this.received(s.to, s.at, zaloButtons(s.message));
  }

  private received(recipient: string, at: number, buttons: WalkerState['offered']): void {
    const c = this.contacts.get(recipient);
    if (!c) {
      const b = this.bucket(this.minuteOf(at));
      if (this.opts.broadcastRecipients.has(recipient)) {
        b.broadcastCalls++;
        this.broadcast.perRecipient.set(recipient, (this.broadcast.perRecipient.get(recipient) ?? 0) + 1);
        this.broadcast.firstAt ||= at;
        this.broadcast.lastAt = at;
      } else {
        b.otherCalls++;
      }
      return;
    }
    c.offered.push(...buttons);
    if (!c.waiting) return;
    clearTimeout(c.waiting.timer);
    this.bucket(c.waiting.minute).latencies.push(at - c.waiting.sentAt);
    c.waiting = null;
    // The rest of a reply (more messages) arrives within moments; the contact reads, thinks, then may write again.
    this.becomeIdle(c, this.opts.minThinkMs);
  }
}
