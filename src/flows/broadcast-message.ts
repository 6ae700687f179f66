import type { ContentItem } from '../content/catalogue.schema.js';
import { translate } from '../content/i18n.js';
import type { OutMessage } from '../content/messages.schema.js';

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

/** The messages every recipient gets for a typed announcement: the image if any, then the text and who sends it. */
export function typedMessages(textTyped: string, imageUrl: string | null, sender: BroadcastSender): OutMessage[] {
  return [...(imageUrl ? [{ type: 'image' as const, url: imageUrl }] : []), { type: 'text', text: `${textTyped}\n\n${signature(sender)}` }];
}

/** The messages every recipient gets for a catalogue item: as the content menu shows it, with who sends it. */
export function itemMessages(item: ContentItem, sender: BroadcastSender): OutMessage[] {
  const parts = [item.title.toUpperCase(), item.body, translate('vi', 'content.source', { source: item.source }), signature(sender)];
  return [
    ...(item.image ? [{ type: 'image' as const, url: item.image }] : []),
    { type: 'text', text: parts.join('\n\n') },
    ...(item.sourceUrl ? [{ type: 'link' as const, url: item.sourceUrl, title: item.source }] : []),
  ];
}
