import { CORE_STRINGS } from './strings/core.strings.js';
import { PLEDGE_STRINGS } from './strings/pledge.strings.js';
import { QUIZ_STRINGS } from './strings/quiz.strings.js';
import { TIP_STRINGS } from './strings/tip.strings.js';
import { TEACHER_STRINGS } from './strings/teacher.strings.js';
import { BROADCAST_STRINGS } from './strings/broadcast.strings.js';
import { STAFF_STRINGS } from './strings/staff.strings.js';
import { PLEDGE_PROGRESS_STRINGS } from './strings/pledge-progress.strings.js';

/** Languages the bot speaks: Vietnamese first, English second. */
export type Locale = 'vi' | 'en';

/**
 * Every sentence a parent, student or teacher reads, in both languages, one file per feature under strings/.
 * `{name}` marks a parameter.
 */
export const STRINGS = {
  ...CORE_STRINGS,
  ...PLEDGE_STRINGS,
  ...QUIZ_STRINGS,
  ...TIP_STRINGS,
  ...TEACHER_STRINGS,
  ...BROADCAST_STRINGS,
  ...STAFF_STRINGS,
  ...PLEDGE_PROGRESS_STRINGS,
} as const;

export type StringKey = keyof typeof STRINGS;

/** Looks a sentence up in the contact's language and fills its `{parameters}`. */
export function translate(locale: Locale, key: StringKey, params: Record<string, string | number> = {}): string {
  const template: string = STRINGS[key][locale];
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}
