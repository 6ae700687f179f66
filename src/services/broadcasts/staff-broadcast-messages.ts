import type { ContentItem } from '../../content/catalogue.schema.js';
import { translate } from '../../content/i18n.js';
import type { OutMessage } from '../../content/messages.schema.js';

/** The longest text staff may type (as in chat: a message holds 2 000 characters, the signature included). */
export const STAFF_BROADCAST_TEXT_MAX = 1500;

/** Who a console broadcast says it is from: a class's teacher, or the schools (or office) sending it. */
export type StaffSender = { kind: 'class'; className: string; schoolName: string } | { kind: 'school'; name: string };

// The signature and the pledge button are those of the chat's broadcasts (src/flows/broadcast-message.ts), so a
// parent cannot tell from which side a school's message was sent; recipients read Vietnamese.
function closing(body: string, sender: StaffSender, pledgeButton: boolean): OutMessage {
  const from = sender.kind === 'class' ? translate('vi', 'broadcast.msg.fromClass', { class: sender.className, school: sender.schoolName }) : translate('vi', 'broadcast.msg.fromSchool', { school: sender.name });
  const text = `${body}\n\n${from}\n${translate('vi', 'broadcast.msg.optOut')}`;
  if (!pledgeButton) return { type: 'text', text };
  return { type: 'buttons', text, buttons: [{ title: translate('vi', 'broadcast.msg.pledgeButton'), payload: 'FLOW:pledge' }] };
}

/**
 * The messages every recipient of a console broadcast gets: the typed text, or a reviewed catalogue item as the
 * content menu shows it, signed by the sender; those who have not pledged get a button that opens the pledge.
 */
export function staffBroadcastMessages(content: { text: string } | { item: ContentItem }, sender: StaffSender, opts: { pledgeButton: boolean }): OutMessage[] {
  if ('text' in content) return [closing(content.text.trim(), sender, opts.pledgeButton)];
  const item = content.item;
  const parts = [item.title.toUpperCase(), item.body, translate('vi', 'content.source', { source: item.source })];
  return [
    ...(item.image ? [{ type: 'image' as const, url: item.image }] : []),
    closing(parts.join('\n\n'), sender, opts.pledgeButton),
    ...(item.sourceUrl ? [{ type: 'link' as const, url: item.sourceUrl, title: item.source }] : []),
  ];
}

/** Who signs: a teacher's own class(es) as its teacher, anything else as the school(s), or the office across many. */
export function staffSender(opts: { teacher: boolean; schools: readonly string[]; classes: readonly string[]; officeName: string | null }): StaffSender {
  const schools = [...new Set(opts.schools)];
  if (opts.teacher && opts.classes.length > 0) return { kind: 'class', className: opts.classes.join(', '), schoolName: schools.join(', ') };
  if (schools.length > 3 && opts.officeName) return { kind: 'school', name: opts.officeName };
  return { kind: 'school', name: schools.join(', ') };
}
