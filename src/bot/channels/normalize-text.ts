// PostgreSQL refuses two things a JSON string or a JS string can hold: NUL (in `text` and as `\u0000` in `jsonb`) and
// a lone UTF-16 surrogate (jsonb rejects the `\ud800` escape JSON.stringify writes for it). Either one in a single
// message used to fail the whole insert, so every string bound for storage passes through here first.

// Any surrogate code unit (paired or not): with the NUL check, the cheap test that lets almost every string through.
const SURROGATE = /[\ud800-\udfff]/;
// In unicode mode a well-formed pair is one code point, so this matches only unpaired surrogates.
const LONE_SURROGATE = /\p{Cs}/gu;

/** Makes a string storable: NUL removed, every lone surrogate replaced with U+FFFD. */
export function normalizeText(s: string): string {
  const hasNul = s.includes('\u0000');
  if (!hasNul && !SURROGATE.test(s)) return s;
  return (hasNul ? s.replaceAll('\u0000', '') : s).replace(LONE_SURROGATE, '\uFFFD');
}

/**
 * Normalises every string value inside parsed JSON (objects, arrays, nested to any depth), in place, and returns it.
 * Iterative, not recursive: a signed body may nest far deeper than the call stack allows. Keys are left alone:
 * nothing stores them, and renaming one in place could collide with a sibling.
 */
export function normalizeJsonStrings<T>(value: T): T {
  if (typeof value === 'string') return normalizeText(value) as T;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const v: unknown = node[i];
        if (typeof v === 'string') node[i] = normalizeText(v);
        else if (v !== null && typeof v === 'object') stack.push(v);
      }
    } else if (node !== null && typeof node === 'object') {
      const obj = node as Record<string, unknown>;
      for (const key of Object.keys(obj)) {
        const v = obj[key];
        if (typeof v === 'string') {
          const n = normalizeText(v);
          // defineProperty, not assignment: a parsed body may own a "__proto__" key.
          if (n !== v) Object.defineProperty(obj, key, { value: n, writable: true, enumerable: true, configurable: true });
        } else if (v !== null && typeof v === 'object') stack.push(v);
      }
    }
  }
  return value;
}
