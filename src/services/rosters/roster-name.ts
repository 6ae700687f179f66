import { normalizePersonName, studentKey } from '../../content/person-name.js';

/** The longest pupil name accepted (the pledge flow's limit, so every roster name can be typed there). */
export const MAX_ROSTER_NAME = 60;

/** A roster name as stored (NFC, tidy, Vietnamese title case) with its matching key; or what is wrong with it. */
export type RosterNameCheck = { ok: true; name: string; key: string } | { ok: false; message: string };

const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\u2028\u2029]/u;

/**
 * Checks one pupil's name from a roster file and tidies it the way the pledge flow tidies a typed name, so the two
 * meet on the same key ("NGUYỄN  văn an" → "Nguyễn Văn An"). Each refusal says what to fix, in Vietnamese.
 */
export function checkRosterName(raw: string): RosterNameCheck {
  const text = raw.normalize('NFC').replace(/[\t\r\n\u00a0]/g, ' ');
  if (INVISIBLE.test(text)) return { ok: false, message: 'Họ tên có ký tự ẩn hoặc ký tự điều khiển; hãy gõ lại tên này.' };
  const tidy = text.replace(/\s+/g, ' ').trim();
  if (tidy === '') return { ok: false, message: 'Thiếu họ tên học sinh.' };
  if (tidy.length > MAX_ROSTER_NAME) return { ok: false, message: `Họ tên dài quá ${MAX_ROSTER_NAME} ký tự.` };
  if (/\p{N}/u.test(tidy)) return { ok: false, message: `Họ tên có chữ số (“${tidy}”): ô này có đúng là cột họ tên không?` };
  const bad = /[^\p{L}\p{M}' -]/u.exec(tidy);
  if (bad) return { ok: false, message: `Họ tên có ký tự không phải chữ cái (“${bad[0]}”).` };
  const name = normalizePersonName(tidy);
  if (!name) return { ok: false, message: 'Họ tên quá ngắn.' };
  return { ok: true, name, key: studentKey(name) };
}
