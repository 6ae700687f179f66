import { foldText } from '../content/normalize.js';
import type { UserInput } from './event.schema.js';

/** What a broadcast command asks for. */
export type BroadcastCommand =
  | { kind: 'approve' | 'reject' | 'figures' | 'cancel'; code: string }
  | { kind: 'list' };

/** Payload prefixes of the broadcast buttons that work from any step (a notice or a figures view in an old message). */
export const BROADCAST_PAYLOAD = {
  approve: 'BC:APPROVE:',
  reject: 'BC:REJECT:',
  figures: 'BC:FIG:',
  cancel: 'BC:CANCEL:',
  list: 'BC:LIST',
} as const;

// A broadcast code: "TB-12345" (tip codes are "TB-XXXX-XXXX": letters and two groups, never five digits alone).
const CODE = String.raw`tb[\s-]?(\d{5})`;
const TYPED: { kind: 'approve' | 'reject' | 'figures' | 'cancel'; re: RegExp }[] = [
  { kind: 'approve', re: new RegExp(`^(?:duyet|approve)\\s+${CODE}$`) },
  { kind: 'reject', re: new RegExp(`^(?:tu choi|khong duyet|reject)\\s+${CODE}$`) },
  { kind: 'figures', re: new RegExp(`^(?:ket qua|xem|so lieu|figures|results?)?\\s*${CODE}$`) },
  // "huỷ"/"hủy"/"HUY" + a code: never "hủy đăng ký" (opt-out), which is a whole message of its own.
  { kind: 'cancel', re: new RegExp(`^(?:huy|cancel|dung gui)\\s+${CODE}$`) },
];

/** The canonical form of a broadcast code ("tb 12345" → "TB-12345"). */
export const broadcastCode = (digits: string): string => `TB-${digits}`;

/**
 * A broadcast command typed or tapped anywhere: "DUYỆT TB-12345", "TỪ CHỐI TB-12345", "KẾT QUẢ TB-12345" or just
 * "TB-12345", "HUỶ TB-12345", and the same as button payloads. Null for anything else.
 */
export function matchBroadcastCommand(input: UserInput): BroadcastCommand | null {
  if (input.kind === 'payload') {
    if (input.payload === BROADCAST_PAYLOAD.list) return { kind: 'list' };
    for (const kind of ['approve', 'reject', 'figures', 'cancel'] as const) {
      const prefix = BROADCAST_PAYLOAD[kind];
      if (!input.payload.startsWith(prefix)) continue;
      const m = /^TB-(\d{5})$/.exec(input.payload.slice(prefix.length));
      return m ? { kind, code: broadcastCode(m[1]!) } : null;
    }
    return null;
  }
  if (input.kind !== 'text' || input.text.length > 60) return null;
  const folded = foldText(input.text);
  for (const { kind, re } of TYPED) {
    const m = re.exec(folded);
    if (m) return { kind, code: broadcastCode(m[1]!) };
  }
  return null;
}
