import type { StringKey } from '../content/i18n.js';
import type { OutMessage } from '../content/messages.schema.js';
import type { StepContext } from './flow.js';
import type { BroadcastFiguresView, BroadcastReachView, BroadcastStatusView, BroadcastUnreachableReason } from './ports/broadcasts.port.js';

/** Messenger shows at most 20 characters of a quick reply's title (and at most 13 of them). */
export const TITLE_MAX = 20;
const BUTTONS_MAX = 13;

/** A title cut to fit a quick reply, with an ellipsis when cut. */
export function fitTitle(title: string): string {
  const chars = [...title];
  return chars.length <= TITLE_MAX ? title : `${chars.slice(0, TITLE_MAX - 1).join('').trimEnd()}…`;
}

/** A button to offer: `title` on the button, `label` in full in the text when the title cannot say it all. */
export interface Choice {
  title: string;
  label: string;
  payload: string;
}

/**
 * Buttons that fit every channel: titles of at most 20 characters, at most 13. When a title had to be cut (or two
 * read the same), the choices are listed in full and numbered in the text, and the buttons carry the numbers: typing
 * the number picks the choice too.
 */
export function listChoices(body: string, choices: Choice[], opts: { alwaysList?: boolean } = {}): Extract<OutMessage, { type: 'buttons' }> {
  const kept = choices.slice(0, BUTTONS_MAX);
  const titles = kept.map((c) => c.title);
  const ambiguous = new Set(titles).size !== titles.length;
  const list = opts.alwaysList === true || ambiguous || kept.some((c) => [...c.title].length > TITLE_MAX || c.label !== c.title);
  if (!list) return { type: 'buttons', text: body, buttons: kept.map((c) => ({ title: c.title, payload: c.payload })) };
  return {
    type: 'buttons',
    text: `${body}\n${kept.map((c, i) => `${i + 1}. ${c.label}`).join('\n')}`,
    buttons: kept.map((c, i) => ({ title: fitTitle(`${i + 1}. ${c.title}`), payload: c.payload })),
  };
}

const REASON_KEYS: Record<BroadcastUnreachableReason, StringKey> = {
  opted_out: 'broadcast.reason.opted_out',
  messenger_window_closed: 'broadcast.reason.messenger_window_closed',
  zalo_window_closed: 'broadcast.reason.zalo_window_closed',
  never_wrote: 'broadcast.reason.never_wrote',
};

const CHANNEL_KEYS: Record<string, StringKey> = {
  zalo: 'broadcast.channel.zalo',
  messenger: 'broadcast.channel.messenger',
  simulator: 'broadcast.channel.simulator',
};

/** The reach forecast as the teacher reads it: per channel, who gets it now, later, only in the group, or not, and why. */
export function describeForecast(ctx: StepContext, f: BroadcastReachView): string {
  const lines = [ctx.t('broadcast.forecast.title', { n: f.people })];
  for (const [channel, r] of Object.entries(f.byChannel)) {
    const parts: string[] = [];
    if (r.reachableNow > 0) parts.push(ctx.t('broadcast.forecast.now', { n: r.reachableNow }));
    if (r.reachableLater > 0) parts.push(ctx.t('broadcast.forecast.later', { n: r.reachableLater }));
    if (r.onlyThroughGroup > 0) parts.push(ctx.t('broadcast.forecast.group', { n: r.onlyThroughGroup }));
    const not = Object.entries(r.notReachable).filter(([, n]) => (n ?? 0) > 0);
    if (not.length > 0) {
      const why = not.map(([reason, n]) => `${n} ${REASON_KEYS[reason as BroadcastUnreachableReason] ? ctx.t(REASON_KEYS[reason as BroadcastUnreachableReason]) : reason}`).join(', ');
      parts.push(ctx.t('broadcast.forecast.not', { n: not.reduce((s, [, n]) => s + (n ?? 0), 0), why }));
    }
    if (parts.length === 0) continue;
    const name = CHANNEL_KEYS[channel] ? ctx.t(CHANNEL_KEYS[channel]) : channel;
    lines.push(`• ${name}: ${parts.join('; ')}`);
  }
  if (f.groups.healthy > 0 || f.groups.unhealthy > 0) {
    const g = [f.groups.healthy > 0 ? ctx.t('broadcast.forecast.groupsOk', { n: f.groups.healthy }) : '', f.groups.unhealthy > 0 ? ctx.t('broadcast.forecast.groupsBad', { n: f.groups.unhealthy }) : ''].filter(Boolean);
    lines.push(`• ${ctx.t('broadcast.channel.groups')}: ${g.join('; ')}`);
  }
  if (f.people === 0) lines.push(ctx.t('broadcast.forecast.empty'));
  else if (Object.values(f.byChannel).some((r) => Object.values(r.notReachable).some((n) => (n ?? 0) > 0))) lines.push(ctx.t('broadcast.forecast.catchUp'));
  return lines.join('\n');
}

const STATUS_KEYS: Record<BroadcastStatusView, StringKey> = {
  draft: 'broadcast.status.draft',
  pending_approval: 'broadcast.status.pending_approval',
  scheduled: 'broadcast.status.scheduled',
  expanding: 'broadcast.status.expanding',
  expanded: 'broadcast.status.expanded',
  cancelled: 'broadcast.status.cancelled',
  rejected: 'broadcast.status.rejected',
};

/** A broadcast's status in words. */
export function describeStatus(ctx: StepContext, status: BroadcastStatusView): string {
  return STATUS_KEYS[status] ? ctx.t(STATUS_KEYS[status]) : status;
}

const OUTCOME_KEYS: Record<string, StringKey> = {
  opted_out: 'broadcast.outcome.opted_out',
  window_closed: 'broadcast.outcome.window_closed',
  quiet_hours: 'broadcast.outcome.quiet_hours',
  user_unavailable: 'broadcast.outcome.user_unavailable',
  invalid: 'broadcast.outcome.invalid',
  transient: 'broadcast.outcome.transient',
  rate_limited: 'broadcast.outcome.rate_limited',
  token_expired: 'broadcast.outcome.token_expired',
  group_unhealthy: 'broadcast.outcome.group_unhealthy',
  cancelled: 'broadcast.outcome.cancelled',
};

function byReason(ctx: StepContext, counts: Partial<Record<string, number>>): string {
  return Object.entries(counts)
    .filter(([, n]) => (n ?? 0) > 0)
    .map(([reason, n]) => `${n} ${OUTCOME_KEYS[reason] ? ctx.t(OUTCOME_KEYS[reason]) : reason}`)
    .join(', ');
}

const total = (counts: Partial<Record<string, number>>) => Object.values(counts).reduce<number>((s, n) => s + (n ?? 0), 0);

/** A broadcast's figures as the teacher reads them. */
export function describeFigures(ctx: StepContext, f: BroadcastFiguresView): string {
  const lines = [
    ctx.t('broadcast.figures.title', { code: f.code, status: describeStatus(ctx, f.status) }),
    // Counted when the broadcast is expanded into messages; before that, zero would read as "nobody".
    ['draft', 'pending_approval', 'scheduled'].includes(f.status) && f.audienceSize === 0 ? ctx.t('broadcast.figures.audiencePending') : ctx.t('broadcast.figures.audience', { n: f.audienceSize }),
    ctx.t('broadcast.figures.progress', { queued: f.queued, sent: f.sent, delivered: f.delivered, seen: f.seen }),
  ];
  if (total(f.skipped) > 0) lines.push(ctx.t('broadcast.figures.skipped', { n: total(f.skipped), why: byReason(ctx, f.skipped) }));
  if (total(f.failed) > 0) lines.push(ctx.t('broadcast.figures.failed', { n: total(f.failed), why: byReason(ctx, f.failed) }));
  if (f.caughtUp > 0) lines.push(ctx.t('broadcast.figures.caughtUp', { n: f.caughtUp }));
  if (f.cancelled > 0) lines.push(ctx.t('broadcast.figures.cancelled', { n: f.cancelled }));
  lines.push(ctx.t('broadcast.figures.note'));
  return lines.join('\n');
}
