import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

// Format: "v1.<iv>.<ciphertext>.<tag>" (base64url). The version lets a later key or algorithm change coexist with
// stored rows; the context (tip id + field) is bound as associated data, so a ciphertext copied onto another tip or
// into another column does not decrypt.
const VERSION = 'v1';
const IV_BYTES = 12;

/** AES-256-GCM sealing of tip text, messages, photos and reply handles (DESIGN.md §4: encrypted at rest). */
export class TipCipher {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('TipCipher needs a 32-byte key');
  }

  /** Encrypts `plain` for the given context (e.g. `<tipId>:description`) with a fresh random IV. */
  seal(plain: string | Buffer, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(typeof plain === 'string' ? Buffer.from(plain, 'utf8') : plain), cipher.final()]);
    return [VERSION, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  /** Decrypts a value made by `seal` with the same context; throws if it was altered or belongs elsewhere. */
  openBytes(sealed: string, context: string): Buffer {
    const parts = sealed.split('.');
    if (parts.length !== 4 || parts[0] !== VERSION) throw new Error('unknown sealed format');
    const [, iv, body, tag] = parts as [string, string, string, string];
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
  }

  /** Decrypts text made by `seal`. */
  open(sealed: string, context: string): string {
    return this.openBytes(sealed, context).toString('utf8');
  }
}

/**
 * A keyed hash of who submitted, with a salt that changes every UTC day (derived from the key and the date), for
 * rate limits: yesterday's counters cannot be matched with today's, and without the key nothing can be matched.
 */
export function submitterKey(key: Buffer, who: string, now: Date): string {
  const day = now.toISOString().slice(0, 10);
  const salt = createHmac('sha256', key).update(`tip-rate:${day}`).digest();
  return createHmac('sha256', salt).update(who).digest('base64url').slice(0, 32);
}

/** Hashes a tip PIN with argon2id (the library's defaults). */
export function hashPin(pin: string): Promise<string> {
  return hash(pin);
}

/** Checks a PIN against its argon2 hash; false for a malformed hash. */
export async function verifyPin(pinHash: string, pin: string): Promise<boolean> {
  return verify(pinHash, pin).catch(() => false);
}
