// Keeping the first N rows of a sorted list.

// The kept rows and how many were left out.
export interface TopRows<T> {
  readonly rows: readonly T[];
  readonly omitted: number;
}

// The first `n` rows (all when n is null).
export function topRows<T>(rows: readonly T[], n: number | null): TopRows<T> {
  if (n === null || n >= rows.length) return { rows, omitted: 0 };
  const kept = rows.slice(0, Math.max(0, n));
  return { rows: kept, omitted: rows.length - kept.length };
}
