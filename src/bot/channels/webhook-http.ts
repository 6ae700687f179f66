import { createHash, timingSafeEqual } from 'node:crypto';
import type { Response } from 'express';
import { isInteger, isSafeNumber, parse } from 'lossless-json';
import { respondError } from '../http/errors.js';

/** Compares two secrets in constant time (different lengths compare unequal without leaking where). */
export function safeEqual(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y) && a.length === b.length;
}

/** The one answer to a request that failed verification: generic, never echoing what was expected. */
export function rejectUnauthorized(res: Response): void {
  respondError(res, 'unauthorized', 'Request signature is missing or invalid.');
}

/** Answer to a verified request whose body is not what the platform documents. */
export function rejectMalformed(res: Response, message: string): void {
  respondError(res, 'bad_request', message);
}

/** A stable dedupe key for platform items that carry no message id. */
export function contentKey(prefix: string, item: unknown): string {
  return `${prefix}:${createHash('sha256').update(JSON.stringify(item)).digest('hex').slice(0, 32)}`;
}

/** A parsed webhook body, or why it could not be parsed (no content in the reason). */
export type ParsedBody = { ok: true; value: unknown } | { ok: false; reason: string };

// Integers a double cannot hold exactly become strings of their digits: Zalo ids exceed 2^53 (shared/PLATFORMS.md),
// and a rounded id would address another person. Every other number (fractions, exponents, safe integers) stays a number.
const parseNumber = (text: string): unknown => (isInteger(text) && !isSafeNumber(text) ? text : Number(text));
// Same as JSON.parse: the last of duplicate keys wins (lossless-json would throw by default).
const options = { parseNumber, onDuplicateKey: ({ newValue }: { newValue: unknown }) => newValue };

/**
 * Parses a webhook body with a real JSON parser that keeps big integers exact (never by rewriting the text: digits
 * inside strings must arrive unchanged). Strings are returned as sent; run `normalizeJsonStrings` before storing.
 * Objects and arrays nested deeper than `MAX_DEPTH` come back as null (see `pruneDeepJson`).
 */
export function parseWebhookJson(raw: string): ParsedBody {
  // lossless-json, JSON.stringify (dedupe keys hash an item) and zod all recurse once per nesting level and run out
  // of stack after a few thousand. Nothing a platform documents nests more than a handful of levels, so deeper
  // parts are cut off before parsing: the fields we read survive, and one odd item does not cost the batch.
  const shallow = pruneDeepJson(raw, MAX_DEPTH);
  if (shallow !== raw) {
    // Cutting could hide a syntax error inside the cut part: the whole text must be JSON (V8's own parser is iterative, no stack limit).
    try {
      JSON.parse(raw);
    } catch {
      return { ok: false, reason: 'not JSON' };
    }
  }
  try {
    return { ok: true, value: parse(shallow, null, options) };
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
}

const MAX_DEPTH = 64;
const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_OBJECT = 123;
const OPEN_ARRAY = 91;
const CLOSE_OBJECT = 125;
const CLOSE_ARRAY = 93;

/**
 * Copies JSON text, replacing every object or array that opens below `maxDepth` levels with `null`; returns the very
 * same string when nothing is that deep. A scan that tracks strings and escapes (so brackets inside text are left
 * alone), not a pattern, and not a validator: `parseWebhookJson` checks the text separately when something was cut.
 */
export function pruneDeepJson(json: string, maxDepth: number): string {
  const out: string[] = [];
  let depth = 0;
  let copyFrom = 0;
  let i = 0;
  while (i < json.length) {
    const c = json.charCodeAt(i);
    if (c === QUOTE) {
      i = endOfString(json, i);
      continue;
    }
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (depth === maxDepth) {
        out.push(json.slice(copyFrom, i), 'null');
        i = endOfValue(json, i);
        copyFrom = i;
        continue;
      }
      depth++;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
    }
    i++;
  }
  if (out.length === 0) return json;
  out.push(json.slice(copyFrom));
  return out.join('');
}

/** Index just after the string whose opening quote is at `start`. */
function endOfString(json: string, start: number): number {
  let i = start + 1;
  while (i < json.length) {
    const c = json.charCodeAt(i);
    if (c === BACKSLASH) i += 2;
    else if (c === QUOTE) return i + 1;
    else i++;
  }
  return i;
}

/** Index just after the object or array that opens at `start` (with everything nested in it). */
function endOfValue(json: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < json.length) {
    const c = json.charCodeAt(i);
    if (c === QUOTE) {
      i = endOfString(json, i);
      continue;
    }
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
    else if ((c === CLOSE_OBJECT || c === CLOSE_ARRAY) && --depth === 0) return i + 1;
    i++;
  }
  return i;
}

// Timestamps earlier than this are not real messages (both platforms started long after).
const EARLIEST_MS = Date.UTC(2000, 0, 1);
const DAY_MS = 86_400_000;

/**
 * When the user acted, from a platform timestamp (epoch ms, as a number or a string of digits). A value that is not a
 * finite epoch-ms between 2000 and a day from now is replaced by `now`, the time we received it: that is within
 * seconds of the truth for a live webhook, while a wrong type or a time no Date can hold (9e15, 20 digits) would
 * otherwise fail the whole request, and a far-future time would hold a reply window open that never was.
 */
export function platformTime(value: unknown, now: Date = new Date()): Date {
  const ms = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : NaN;
  return Number.isFinite(ms) && ms >= EARLIEST_MS && ms <= now.getTime() + DAY_MS ? new Date(ms) : now;
}

/** Longest platform user, page or OA id we accept; both platforms send ids of about 16–19 digits. */
export const MAX_PLATFORM_ID = 64;
/** Longest platform message id we accept; Meta's mids are around 100 characters, Zalo's 32. */
export const MAX_MESSAGE_ID = 256;

/** Whether `id` looks like a Zalo or Messenger user/page id: digits only (both document numeric ids), bounded. */
export function isPlatformId(id: string): boolean {
  return id.length >= 1 && id.length <= MAX_PLATFORM_ID && /^\d+$/.test(id);
}

/**
 * Whether `id` is usable as a message id (our dedupe key): bounded, and without whitespace or control characters
 * (both platforms send opaque printable tokens). An unbounded one would exceed the database's index limit.
 */
export function isMessageId(id: string): boolean {
  return id.length >= 1 && id.length <= MAX_MESSAGE_ID && !/[\s\p{Cc}]/u.test(id);
}

/** Describes why zod refused an item, by field path and issue code only: never the value, which may be a message. */
export function zodReason(error: { issues: readonly { path: readonly PropertyKey[]; code: string }[] }): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.code}`)
    .join('; ');
}
