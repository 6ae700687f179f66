import { translate } from '../../content/i18n.js';
import type { OutMessage } from '../../content/messages.schema.js';
import { laneKeyOf } from '../../store/lane-key.js';
import type { Repos } from '../../store/repos.js';
import type { TipScope } from '../../store/tip.repo.js';
import { openHandle } from './reply-handle.js';
import type { TipKeys } from './tip-keys.js';
import { hourOf, type TipActionResult } from './tip-rules.js';

/**
 * Adds a handler's reply to the thread. If the tipster agreed to replies, the sealed handle is opened here, inside
 * the service, and a sensitive notice (no code, no text) is queued to them; the handler learns only `notified`.
 * The reply is dated to the hour and the notice row is anonymised once sent, so the two do not line up.
 */
export async function replyToTipster(repos: Repos, keys: TipKeys, scope: TipScope, id: string, text: string, now: Date): Promise<TipActionResult & { notified?: boolean }> {
  if (!text.trim()) return { ok: false, reason: 'invalid' };
  const tip = await repos.tips.byId(id, scope);
  if (!tip) return { ok: false, reason: 'not_found' };
  await repos.tips.addMessage(tip.id, 'handler', keys.text.seal(text.trim(), `${tip.id}:message`), hourOf(now));
  const route = openHandle(keys, tip);
  if (!route) return { ok: true, notified: false };
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
  return { ok: true, notified: true };
}
