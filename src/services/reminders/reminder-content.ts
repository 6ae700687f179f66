import { z } from 'zod';
import { OutMessageSchema, type OutMessage } from '../../content/messages.schema.js';
import type { Audience } from '../broadcasts/broadcast-types.js';

/** `Reminder.audience`: a broadcast audience. */
export const ReminderAudienceSchema = z.object({
  schoolIds: z.array(z.string().min(1)),
  classIds: z.array(z.string().min(1)),
  roles: z.array(z.enum(['parent', 'student', 'teacher', 'staff'])).min(1),
  onlyUnpledged: z.boolean(),
  includeGroups: z.boolean(),
}) satisfies z.ZodType<Audience>;

/**
 * `Reminder.message`: the neutral messages in Vietnamese (what every run broadcasts today) and in English (kept for
 * contacts who chose English, once a broadcast can carry a second language).
 */
export const ReminderMessageSchema = z.object({
  vi: z.array(OutMessageSchema).min(1).max(5),
  en: z.array(OutMessageSchema).max(5).default([]),
});
export type ReminderMessage = z.infer<typeof ReminderMessageSchema>;

/** A reminder's stored audience and messages, or why they cannot be used. */
export function readReminderContent(audience: unknown, message: unknown): { ok: true; audience: Audience; messages: { vi: OutMessage[]; en: OutMessage[] } } | { ok: false } {
  const a = ReminderAudienceSchema.safeParse(audience);
  const m = ReminderMessageSchema.safeParse(message);
  if (!a.success || !m.success || (!a.data.schoolIds.length && !a.data.classIds.length)) return { ok: false };
  return { ok: true, audience: a.data, messages: m.data };
}
