import { attemptLimitsFor, type AttemptLimits } from '../limits/attempt-limits.js';
import { submitterKey, TipCipher } from '../../store/tip-crypto.js';

/**
 * The keys every tip verb works with: tip text, messages, photos, grants and state under TIP_ENCRYPTION_KEY; reply
 * handles, the daily submission salt and the attempt counters under TIP_HANDLE_KEY (one leak is not both).
 */
export class TipKeys {
  /** Seals tip text, messages, photos, grants, photo requests and values kept in conversation state. */
  readonly text: TipCipher;
  /** Seals the reply handles (where a handler's reply goes back to). */
  readonly handles: TipCipher;
  readonly limits: AttemptLimits;

  constructor(encryptionKey: Buffer, private readonly handleKey: Buffer) {
    this.text = new TipCipher(encryptionKey);
    this.handles = new TipCipher(handleKey);
    this.limits = attemptLimitsFor(handleKey);
  }

  /** The keyed daily hash of who submitted (for the daily limit); `who` itself is never stored. */
  submitter(who: string, now: Date): string {
    return submitterKey(this.handleKey, who, now);
  }

  /** Encrypts a value (a typed tip code) before it is kept in conversation state, next to who is writing. */
  sealForState(value: string): string {
    return this.text.seal(value, 'state');
  }

  /** The value sealed by `sealForState`, or null when it cannot be opened. */
  openFromState(sealed: string): string | null {
    try {
      return this.text.open(sealed, 'state');
    } catch {
      return null;
    }
  }
}
