// Figures of the soak: least-squares slopes and the verdicts.
export { percentile } from '../bench/stats.js';

/** Slope of the least-squares line through (x, y) points; null with fewer than two distinct x. */
export function slope(points: readonly { x: number; y: number }[]): number | null {
  const n = points.length;
  if (n < 2) return null;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  if (sxx === 0) return null;
  return points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / sxx;
}

/** The slope and its standard error (how far noise alone moves it); null with fewer than three points. */
export function slopeWithError(points: readonly { x: number; y: number }[]): { slope: number; se: number } | null {
  const b = slope(points);
  const n = points.length;
  if (b === null || n < 3) return null;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  const residual = points.reduce((s, p) => s + (p.y - (my + b * (p.x - mx))) ** 2, 0);
  return { slope: b, se: Math.sqrt(residual / (n - 2) / sxx) };
}

/** Memory is flat when the slope after warm-up is below the threshold (MB per minute). */
export const MEMORY_SLOPE_LIMIT_MB_PER_MIN = 1;
/** Latency is steady when the last third's p99 is at most this many times the first third's. */
export const LATENCY_GROWTH_LIMIT = 2;
/** Minutes left out of the memory slope (start-up: code loaded, caches and the database's buffers filling). */
export const WARMUP_MINUTES = 2;

export const round = (x: number | null, digits = 1): number | null => (x === null || !Number.isFinite(x) ? null : Math.round(x * 10 ** digits) / 10 ** digits);

/** The minutes [0, n) split in thirds: first ⌈n/3⌉ and last ⌈n/3⌉ (they overlap only when n < 2). */
export function thirds(n: number): { first: number[]; last: number[] } {
  const k = Math.max(1, Math.ceil(n / 3));
  const all = Array.from({ length: n }, (_, i) => i);
  return { first: all.slice(0, k), last: all.slice(Math.max(0, n - k)) };
}
