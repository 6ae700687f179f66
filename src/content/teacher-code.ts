import { chatCodeKind } from './chat-code.js';

const TEACHER = chatCodeKind('GV');

/** A new random teacher invite code such as `GV-7KQ-M3P-XB9`. */
export function newTeacherCode(): string {
  return TEACHER.generate();
}

/**
 * The canonical form of a teacher code as typed ("gv 7kq m3p xb9", "7KQM3PXB9", with stray diacritics) or null when
 * it cannot be one. `requirePrefix`: only "GV…" counts (a code typed anywhere in a conversation).
 */
export function normalizeTeacherCode(raw: string, opts: { requirePrefix?: boolean } = {}): string | null {
  return TEACHER.normalize(raw, opts);
}
