// Which rows a view shows: its rows, filtered, sorted by a column, the top N.
import type { LiveRow } from './live-row.js';
import type { LiveFrame } from './interval.js';

// The views of the live table.
export type ViewName = 'syscall' | 'process' | 'thread' | 'file' | 'category';

// Every view, in switching order.
export const VIEWS: readonly ViewName[] = ['syscall', 'process', 'thread', 'file', 'category'];

// Column titles of the first column per view.
export const VIEW_TITLES: Readonly<Record<ViewName, string>> = {
  syscall: 'SYSCALL',
  process: 'PID COMMAND',
  thread: 'TID COMMAND',
  file: 'FILE',
  category: 'CATEGORY',
};

// Columns the table can be sorted by.
export type SortColumn = 'name' | 'calls' | 'errors' | 'avg' | 'p50' | 'p99' | 'max' | 'share';

// The rows of a view in a frame; null when the frame cannot have them (per-thread
// and per-file rows need --events).
export function viewRows(frame: LiveFrame, view: ViewName): readonly LiveRow[] | null {
  switch (view) {
    case 'syscall':
      return frame.syscalls;
    case 'process':
      return frame.processes;
    case 'category':
      return frame.categories;
    case 'thread':
      return frame.threads;
    case 'file':
      return frame.files;
  }
}

// The value a column sorts by (null sorts last).
export function sortValue(row: LiveRow, column: SortColumn): number | string | null {
  switch (column) {
    case 'name':
      return row.label;
    case 'calls':
      return row.calls;
    case 'errors':
      return row.errors;
    case 'share':
      return row.totalNs;
    case 'avg':
      return row.latency().avgNs;
    case 'p50':
      return row.latency().p50Ns;
    case 'p99':
      return row.latency().p99Ns;
    case 'max':
      return row.latency().maxNs;
  }
}

// The row order for a column: names ascending, numbers descending (largest
// first), then total time, then key, so equal rows keep a stable order.
export function rowComparator(column: SortColumn): (a: LiveRow, b: LiveRow) => number {
  return (a, b) => {
    const va = sortValue(a, column);
    const vb = sortValue(b, column);
    if (va !== vb) {
      if (va === null) return 1;
      if (vb === null) return -1;
      if (typeof va === 'string' || typeof vb === 'string') return String(va) < String(vb) ? -1 : 1;
      return vb - va;
    }
    return b.totalNs - a.totalNs || b.calls - a.calls || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  };
}

// Rows whose label contains the filter text (case-insensitive); all for ''.
export function filterRows(rows: readonly LiveRow[], filter: string): readonly LiveRow[] {
  const f = filter.trim().toLowerCase();
  if (f === '') return rows;
  return rows.filter((r) => r.label.toLowerCase().includes(f));
}

// The first n rows in comparator order, without sorting all of them when n is
// small (a bounded sorted buffer: O(rows x log n) plus the shifts).
export function topRows<T>(rows: readonly T[], n: number, cmp: (a: T, b: T) => number): T[] {
  if (n <= 0) return [];
  if (rows.length <= n * 4) return [...rows].sort(cmp).slice(0, n);
  const out: T[] = [];
  for (const r of rows) {
    if (out.length === n && cmp(r, out[n - 1]!) >= 0) continue;
    let lo = 0;
    let hi = out.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmp(out[mid]!, r) <= 0) lo = mid + 1;
      else hi = mid;
    }
    out.splice(lo, 0, r);
    if (out.length > n) out.pop();
  }
  return out;
}

// What a view shows: the matching rows (count) and the first `limit` of them in order.
export function visibleRows(
  rows: readonly LiveRow[],
  options: { readonly filter: string; readonly sort: SortColumn; readonly limit: number },
): { readonly matching: number; readonly rows: readonly LiveRow[] } {
  const matching = filterRows(rows, options.filter);
  return { matching: matching.length, rows: topRows(matching, options.limit, rowComparator(options.sort)) };
}
