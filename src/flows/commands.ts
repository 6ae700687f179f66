import { foldText } from '../content/normalize.js';
import type { UserInput } from './event.schema.js';

/** Commands that work at any step of any flow. */
export type GlobalCommand = 'menu' | 'cancel' | 'help' | 'lang_vi' | 'lang_en' | 'opt_out' | 'opt_in';

// Matched after folding (case and diacritics ignored): "Huỷ", "hủy", "HUY" are all "huy".
// "hủy đăng ký" (opt-out) is deliberately not "huy": plain "huỷ" keeps meaning cancel.
const WORDS: Record<string, GlobalCommand> = {
  'menu': 'menu',
  'trang chu': 'menu',
  'huy': 'cancel',
  'cancel': 'cancel',
  'thoat': 'cancel',
  'tro giup': 'help',
  'help': 'help',
  'huong dan': 'help',
  'stop': 'opt_out',
  'dung': 'opt_out',
  'huy dang ky': 'opt_out',
  'unsubscribe': 'opt_out',
  'bat dau': 'opt_in',
  'start': 'opt_in',
  'dang ky lai': 'opt_in',
  'english': 'lang_en',
  'tieng anh': 'lang_en',
  'tieng viet': 'lang_vi',
  'vietnamese': 'lang_vi',
};

const PAYLOADS: Record<string, GlobalCommand> = {
  'CMD:MENU': 'menu',
  'CMD:CANCEL': 'cancel',
  'CMD:HELP': 'help',
};

/** Recognises a global command in an input, or returns null. */
export function matchGlobalCommand(input: UserInput): GlobalCommand | null {
  if (input.kind === 'payload') return PAYLOADS[input.payload] ?? null;
  if (input.kind !== 'text') return null;
  return WORDS[foldText(input.text)] ?? null;
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
