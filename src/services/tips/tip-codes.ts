import { randomInt } from 'node:crypto';

// Unambiguous: no 0/O, 1/I/L, so a code read aloud or copied from a photo of a screen is typed right.
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
/**
 * 10 digits: 10^10 PINs. At the per-code limit (README "Anonymous tips") a known code's PIN falls with about
 * 0.003 % chance a year. Tips from before keep their 6-digit PIN (`pinLength`).
 */
export const PIN_DIGITS = 10;

/** A new PIN: 10 random digits. */
export function newPin(): string {
  return String(randomInt(0, 10 ** PIN_DIGITS)).padStart(PIN_DIGITS, '0');
}

/** Groups a PIN for reading like a phone number: "4821 730 956" (6-digit PINs: "482 173"). */
export function formatPin(pin: string): string {
  return pin.length === 10 ? `${pin.slice(0, 4)} ${pin.slice(4, 7)} ${pin.slice(7)}` : pin.length === 6 ? `${pin.slice(0, 3)} ${pin.slice(3)}` : pin;
}

/** A PIN as people type it ("4821 730-956") reduced to its digits (and anything else they typed). */
export function compactPin(raw: string): string {
  return raw.replace(/[\s.-]/g, '');
}

/** A new public code like `TB-K7QM-3XRP`. */
export function newCode(): string {
  const pick = () => Array.from({ length: 4 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
  return `TB-${pick()}-${pick()}`;
}

/** Reads a code as people type it ("tb k7qm 3xrp", "K7QM3XRP") into `TB-K7QM-3XRP`, or null. */
export function normalizeCode(raw: string): string | null {
  let s = raw.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (s.startsWith('TB') && s.length === 10) s = s.slice(2);
  if (s.length !== 8 || [...s].some((ch) => !CODE_ALPHABET.includes(ch))) return null;
  return `TB-${s.slice(0, 4)}-${s.slice(4)}`;
}
