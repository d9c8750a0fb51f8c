// Which rows a view shows: its rows, filtered, sorted by a column, the top N;
// the waiting rows after the working ones unless waits are counted in (waits.ts).
import type { LiveRow } from './live-row.js';
import type { LiveFrame } from './interval.js';
import { rankedNs, sectionOrder } from './waits.js';

// The views of the live table.
export type ViewName = 'syscall' | 'process' | 'thread' | 'file' | 'category' | 'io_uring';

// Every view, in switching order.
export const VIEWS: readonly ViewName[] = ['syscall', 'process', 'thread', 'file', 'category', 'io_uring'];

// Column titles of the first column per view.
export const VIEW_TITLES: Readonly<Record<ViewName, string>> = {
  syscall: 'SYSCALL',
  process: 'PID COMMAND',
  thread: 'TID COMMAND',
  file: 'FILE',
  category: 'CATEGORY',
  io_uring: 'IO_URING OP',
};

// Columns the table can be sorted by.
export type SortColumn = 'name' | 'calls' | 'errors' | 'avg' | 'p50' | 'p99' | 'max' | 'share';

// The rows of a view in a frame; null when the frame cannot have them (per-thread
// and per-file rows need --events; io_uring rows the eBPF backend with io_uring traced).
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
    case 'io_uring':
      return frame.ioUring;
  }
}

// The value a column sorts by (null sorts last); %TIME by the time it counts
// (working time unless waits are included).
export function sortValue(row: LiveRow, column: SortColumn, includeWaits = false): number | string | null {
  switch (column) {
    case 'name':
      return row.label;
    case 'calls':
      return row.calls;
    case 'errors':
      return row.errors;
    case 'share':
      return rankedNs(row, includeWaits);
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
// first), then total time, then key, so equal rows keep a stable order; the
// waiting rows after the working ones unless waits are included.
export function rowComparator(column: SortColumn, includeWaits = false): (a: LiveRow, b: LiveRow) => number {
  return sectionOrder((a: LiveRow, b: LiveRow): number => {
    const va = sortValue(a, column, includeWaits);
    const vb = sortValue(b, column, includeWaits);
    if (va !== vb) {
      if (va === null) return 1;
      if (vb === null) return -1;
      if (typeof va === 'string' || typeof vb === 'string') return String(va) < String(vb) ? -1 : 1;
      return vb - va;
    }
    return b.totalNs - a.totalNs || b.calls - a.calls || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  }, includeWaits);
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

// What a view shows: the matching rows (count), how many of them are in the
// working section (all of them with waits included: no waiting section), and
// the first `limit` of them in order (the working section, then the waiting one).
export function visibleRows(
  rows: readonly LiveRow[],
  options: { readonly filter: string; readonly sort: SortColumn; readonly limit: number; readonly includeWaits?: boolean },
): { readonly matching: number; readonly working: number; readonly rows: readonly LiveRow[] } {
  const includeWaits = options.includeWaits ?? false;
  const matching = filterRows(rows, options.filter);
  const working = includeWaits ? matching.length : matching.reduce((n, r) => n + (r.waiting ? 0 : 1), 0);
  return { matching: matching.length, working, rows: topRows(matching, options.limit, rowComparator(options.sort, includeWaits)) };
}
