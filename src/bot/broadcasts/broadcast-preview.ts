import { translate, type Locale } from '../../content/i18n.js';
import type { OutMessage } from '../../content/messages.schema.js';
import type { BroadcastChannelPreview } from '../../flows/index.js';
import { renderForMessenger, type MessengerMessage } from '../channels/messenger/messenger-render.js';
import { renderForGroup, renderForUser, type ZaloMessage } from '../channels/zalo/zalo-render.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' ? (v as Obj) : {});
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** One Zalo message (as the Zalo channel sends it) written out: its text, then its picture or buttons in brackets. */
function describeZalo(m: ZaloMessage, locale: Locale): string {
  const lines: string[] = [];
  if (typeof m.text === 'string') lines.push(m.text);
  const payload = obj(obj(m.attachment).payload);
  if (payload.template_type === 'media') {
    for (const e of list(payload.elements)) lines.push(translate(locale, 'broadcast.preview.image', { url: str(e.url) }));
  } else if (payload.template_type === 'list') {
    for (const e of list(payload.elements)) lines.push(translate(locale, 'broadcast.preview.button', { title: str(e.title) }));
  } else {
    for (const b of list(payload.buttons)) lines.push(translate(locale, 'broadcast.preview.link', { title: str(b.title), url: str(obj(b.payload).url) }));
  }
  return lines.join('\n');
}

/** One Messenger message (as the Send API gets it) written out the same way. */
function describeMessenger(m: MessengerMessage, locale: Locale): string {
  const lines: string[] = [];
  if (typeof m.text === 'string') lines.push(m.text);
  const attachment = obj(m.attachment);
  const payload = obj(attachment.payload);
  if (attachment.type === 'image') lines.push(translate(locale, 'broadcast.preview.image', { url: str(payload.url) }));
  if (payload.template_type === 'button') {
    lines.push(str(payload.text));
    for (const b of list(payload.buttons)) {
      lines.push(b.type === 'web_url' ? translate(locale, 'broadcast.preview.link', { title: str(b.title), url: str(b.url) }) : translate(locale, 'broadcast.preview.button', { title: str(b.title) }));
    }
  }
  const quick = list(m.quick_replies);
  if (quick.length > 0) lines.push(translate(locale, 'broadcast.preview.quickReplies', { titles: quick.map((q) => str(q.title)).join(' | ') }));
  return lines.join('\n');
}

/**
 * The broadcast's messages as each channel will show them: rendered by the same functions the channels send with
 * (Zalo user chat, Zalo group with buttons as numbered text, Messenger), then written out for the teacher's chat,
 * one part per platform message.
 */
export function previewBroadcast(messages: OutMessage[], opts: { includeGroups: boolean; locale: Locale }): BroadcastChannelPreview[] {
  const out: BroadcastChannelPreview[] = [{ channel: 'zalo_user', parts: messages.flatMap(renderForUser).map((m) => describeZalo(m, opts.locale)) }];
  if (opts.includeGroups) out.push({ channel: 'zalo_group', parts: messages.flatMap(renderForGroup).map((m) => describeZalo(m, opts.locale)) });
  out.push({ channel: 'messenger', parts: messages.flatMap(renderForMessenger).map((m) => describeMessenger(m, opts.locale)) });
  return out;
}
