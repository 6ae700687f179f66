import { foldText } from '../content/normalize.js';
import { normalizeStaffLinkCode } from '../content/staff-code.js';
import { normalizeTeacherCode } from '../content/teacher-code.js';
import { matchBroadcastCommand } from './broadcast-commands.js';
import type { UserInput } from './event.schema.js';

/** Commands that work at any step of any flow. */
export type GlobalCommand = 'menu' | 'cancel' | 'help' | 'lang_vi' | 'lang_en' | 'opt_out' | 'opt_in';

// Each command word with its accepted spellings. Typed without any diacritics, the bare word matches ("huy", "DUNG");
// typed with diacritics, only a listed spelling does: "Đúng" (yes) and the name "Dũng" fold to "dung" too, and must
// not unsubscribe anyone. "hủy đăng ký" (opt-out) is not "huỷ": plain "huỷ" keeps meaning cancel.
const WORDS: Record<string, { command: GlobalCommand; spellings?: string[] }> = {
  'menu': { command: 'menu' },
  'trang chu': { command: 'menu', spellings: ['trang chủ'] },
  'huy': { command: 'cancel', spellings: ['huỷ', 'hủy'] },
  'cancel': { command: 'cancel' },
  'thoat': { command: 'cancel', spellings: ['thoát'] },
  'tro giup': { command: 'help', spellings: ['trợ giúp'] },
  'help': { command: 'help' },
  'huong dan': { command: 'help', spellings: ['hướng dẫn'] },
  'stop': { command: 'opt_out' },
  'dung': { command: 'opt_out', spellings: ['dừng'] },
  'huy dang ky': { command: 'opt_out', spellings: ['hủy đăng ký', 'huỷ đăng ký', 'hủy đăng kí', 'huỷ đăng kí'] },
  'unsubscribe': { command: 'opt_out' },
  'bat dau': { command: 'opt_in', spellings: ['bắt đầu'] },
  'start': { command: 'opt_in' },
  'dang ky lai': { command: 'opt_in', spellings: ['đăng ký lại', 'đăng kí lại'] },
  'english': { command: 'lang_en' },
  'tieng anh': { command: 'lang_en', spellings: ['tiếng anh'] },
  'tieng viet': { command: 'lang_vi', spellings: ['tiếng việt'] },
  'vietnamese': { command: 'lang_vi' },
};

function matchWord(text: string): GlobalCommand | null {
  const folded = foldText(text);
  const word = WORDS[folded];
  if (!word) return null;
  const typed = text.normalize('NFC').toLocaleLowerCase('vi').replace(/[.!?,;:\s]+$/u, '').replace(/\s+/g, ' ').trim();
  if (typed === folded || word.spellings?.includes(typed)) return word.command;
  return null;
}

const PAYLOADS: Record<string, GlobalCommand> = {
  'CMD:MENU': 'menu',
  'CMD:CANCEL': 'cancel',
  'CMD:HELP': 'help',
};

/** Recognises a global command in an input, or returns null. */
export function matchGlobalCommand(input: UserInput): GlobalCommand | null {
  if (input.kind === 'payload') return PAYLOADS[input.payload] ?? null;
  if (input.kind !== 'text') return null;
  return matchWord(input.text);
}

/** Payload that starts a flow from anywhere, e.g. a menu button pressed in an old message; `arg` deep-links into it. */
export const flowPayload = (flowId: string, arg?: string): string => `FLOW:${flowId}${arg ? `:${arg}` : ''}`;

/** The flow (and argument) a `FLOW:<id>[:<arg>]` payload asks for, or null. */
export function matchFlowPayload(input: UserInput): { flowId: string; arg?: string } | null {
  if (input.kind !== 'payload' || !input.payload.startsWith('FLOW:')) return null;
  const rest = input.payload.slice(5);
  const colon = rest.indexOf(':');
  return colon < 0 ? { flowId: rest } : { flowId: rest.slice(0, colon), arg: rest.slice(colon + 1) };
}

/** Payload of an urgent-tip alert's "Đã nhận" button: `STAFF:ACK:<tip public code>`. */
export const STAFF_ACK_PAYLOAD = 'STAFF:ACK:';

// "ĐÃ NHẬN TB-K7QM-3XRP": the words (any case, with or without diacritics), then a tip code with its TB prefix, so
// "đã nhận hàng rồi ạ" is never taken for one. The code's letters are checked by the tip services.
const ACK_TEXT = /^da nhan\s*[:-]?\s*(tb[\s-]*[a-z0-9]{4}[\s-]*[a-z0-9]{4})$/;

/** The tip code of a typed acknowledgement ("ĐÃ NHẬN <tip code>"), or null. */
export function matchAcknowledgement(text: string): string | null {
  const m = ACK_TEXT.exec(foldText(text));
  return m ? m[1]!.toUpperCase() : null;
}

// "Who has not pledged", typed as a whole message (folded; a trailing "?" is dropped), so a sentence that mentions a
// pledge is never taken for it. None of these is, or contains, an opt-out word ("dừng", "hủy đăng ký").
const PLEDGE_PROGRESS_WORDS = new Set([
  'chua cam ket', 'ai chua cam ket', 'ai chua ky', 'ai chua ky cam ket', 'nguoi chua ky', 'nguoi chua cam ket',
  'danh sach chua ky', 'danh sach chua cam ket', 'ds chua ky', 'ds chua cam ket', 'who has not pledged', 'not pledged yet',
]);

/** Whether a typed message asks who has not pledged ("chưa cam kết", "ai chưa ký?"). */
export function matchPledgeProgress(input: UserInput): boolean {
  return input.kind === 'text' && input.text.length <= 40 && PLEDGE_PROGRESS_WORDS.has(foldText(input.text));
}

/**
 * A shortcut typed at any step and read by one step of its own: "GV <code>" (any case, spaces or dashes) goes to the
 * teacher code step, "NV <code>" to the staff link step, "ĐÃ NHẬN <tip code>" and the alert's button to the staff
 * acknowledgement step, "chưa cam kết" / "ai chưa ký" to the teacher's "who has not pledged". Only the exact shape
 * of a code counts, so a tip that begins "GV lớp 6A1 …" is never taken for one.
 */
export function matchShortcut(input: UserInput): { flowId: string; stepId: string } | null {
  // Broadcast commands ("DUYỆT TB-12345", "TB-12345", their buttons in an old message); their step checks every right.
  if (matchBroadcastCommand(input)) return { flowId: 'broadcast', stepId: 'command' };
  if (matchPledgeProgress(input)) return { flowId: 'pledge_progress', stepId: 'command' };
  if (input.kind === 'payload') return input.payload.startsWith(STAFF_ACK_PAYLOAD) ? { flowId: 'staff', stepId: 'ack' } : null;
  if (input.kind !== 'text') return null;
  if (normalizeTeacherCode(input.text, { requirePrefix: true })) return { flowId: 'onboarding', stepId: 'teacher' };
  if (normalizeStaffLinkCode(input.text, { requirePrefix: true })) return { flowId: 'staff', stepId: 'link' };
  if (matchAcknowledgement(input.text)) return { flowId: 'staff', stepId: 'ack' };
  return null;
}
