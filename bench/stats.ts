// Small numeric and printing helpers for the benchmark.

/** The q-quantile (0..1) of an ascending array, nearest rank; 0 for an empty array. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

/** Resident set size of this process, in MB. */
export function rssMb(): number {
  return Math.round(process.memoryUsage().rss / 1048576);
}

/** A ratio with two decimals, or n/a. */
export function ratio(a: number, b: number): string {
  return b > 0 ? (a / b).toFixed(2) : 'n/a';
}

/** Left-pads or right-pads cells into a fixed-width table row. */
export function row(cells: (string | number)[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i] ?? 0) : String(c).padStart(widths[i] ?? 0))).join('  ');
}
