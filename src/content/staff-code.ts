import { chatCodeKind } from './chat-code.js';

/** "Nhân viên": a staff account's chat link code, sent as "NV <code>" (the teacher codes' alphabet and shape). */
const STAFF = chatCodeKind('NV');

/** A new random staff chat link code such as `NV-7KQ-M3P-XB9`. */
export function newStaffLinkCode(): string {
  return STAFF.generate();
}

/**
 * The canonical form of a staff link code as typed ("nv 7kq m3p xb9", "NV7KQM3PXB9"), or null when it cannot be one.
 * `requirePrefix`: only "NV…" counts (a code typed anywhere in a conversation).
 */
export function normalizeStaffLinkCode(raw: string, opts: { requirePrefix?: boolean } = {}): string | null {
  return STAFF.normalize(raw, opts);
}
