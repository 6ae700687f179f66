import { z } from 'zod';
import { OutMessageSchema, type OutMessage } from '../../content/messages.schema.js';
import { AudienceSchema, isEmptyAudience } from '../broadcasts/audience.js';
import type { Audience } from '../broadcasts/broadcast-types.js';

/**
 * `Reminder.message`: the neutral messages in Vietnamese (what every run broadcasts today) and in English (kept for
 * contacts who chose English, once a broadcast can carry a second language).
 */
export const ReminderMessageSchema = z.object({
  vi: z.array(OutMessageSchema).min(1).max(5),
  en: z.array(OutMessageSchema).max(5).default([]),
});
export type ReminderMessage = z.infer<typeof ReminderMessageSchema>;

/** A reminder's stored audience (`Reminder.audience`, a broadcast audience) and messages, or not usable. */
export function readReminderContent(audience: unknown, message: unknown): { ok: true; audience: Audience; messages: { vi: OutMessage[]; en: OutMessage[] } } | { ok: false } {
  const a = AudienceSchema.safeParse(audience);
  const m = ReminderMessageSchema.safeParse(message);
  if (!a.success || !m.success || isEmptyAudience(a.data)) return { ok: false };
  return { ok: true, audience: a.data, messages: m.data };
}
