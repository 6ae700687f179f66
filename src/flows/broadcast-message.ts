import type { ContentItem } from '../content/catalogue.schema.js';
import { translate } from '../content/i18n.js';
import type { OutMessage } from '../content/messages.schema.js';
import { flowPayload } from './commands.js';

/** Who the message says it is from: a class (its name and school) or a whole school. */
export type BroadcastSender = { kind: 'class'; className: string; schoolName: string } | { kind: 'school'; schoolName: string };

/** The longest text a teacher may type (a Zalo or Messenger message holds 2 000 characters, the signature included). */
export const BROADCAST_TEXT_MAX = 1500;

// Recipients read Vietnamese: the school writes to them, whatever language the teacher's own chat is in.
function signature(sender: BroadcastSender): string {
  const from = sender.kind === 'class'
    ? translate('vi', 'broadcast.msg.fromClass', { class: sender.className, school: sender.schoolName })
    : translate('vi', 'broadcast.msg.fromSchool', { school: sender.schoolName });
  return `${from}\n${translate('vi', 'broadcast.msg.optOut')}`;
}

/** What the last message offers: "sign the pledge" for those who have not yet (they are the audience). */
export interface BroadcastExtras {
  pledgeButton: boolean;
}

// The text with who sends it, and the pledge button when asked for (groups show it as a numbered line).
function closing(body: string, sender: BroadcastSender, extras: BroadcastExtras): OutMessage {
  const textOut = `${body}\n\n${signature(sender)}`;
  if (!extras.pledgeButton) return { type: 'text', text: textOut };
  return { type: 'buttons', text: textOut, buttons: [{ title: translate('vi', 'broadcast.msg.pledgeButton'), payload: flowPayload('pledge') }] };
}

/** The messages every recipient gets for a typed announcement: the image if any, then the text and who sends it. */
export function typedMessages(textTyped: string, imageUrl: string | null, sender: BroadcastSender, extras: BroadcastExtras): OutMessage[] {
  return [...(imageUrl ? [{ type: 'image' as const, url: imageUrl }] : []), closing(textTyped, sender, extras)];
}

/** The messages every recipient gets for a catalogue item: as the content menu shows it, with who sends it. */
export function itemMessages(item: ContentItem, sender: BroadcastSender, extras: BroadcastExtras): OutMessage[] {
  const parts = [item.title.toUpperCase(), item.body, translate('vi', 'content.source', { source: item.source })];
  return [
    ...(item.image ? [{ type: 'image' as const, url: item.image }] : []),
    closing(parts.join('\n\n'), sender, extras),
    ...(item.sourceUrl ? [{ type: 'link' as const, url: item.sourceUrl, title: item.source }] : []),
  ];
}
