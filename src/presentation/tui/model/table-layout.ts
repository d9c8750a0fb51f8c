// The live table's columns, fitted to a terminal width, and each row's cell
// texts (shared by the ink screen and the plain-text batch output).
import { ANOMALY_MARK } from './anomaly-marks.js';
import { formatDuration, formatRate } from '../../render/units.js';
import type { LiveRow } from './live-row.js';
import { sparkline } from './sparkline.js';
import { VIEW_TITLES, type SortColumn, type ViewName } from './view-rows.js';
import { timeShare } from './waits.js';

// A numeric column: at least `width` wide, wider when a cell needs it.
interface NumberColumn {
  readonly sort: SortColumn;
  readonly title: string;
  readonly width: number;
  // includeWaits: whether %TIME counts waiting calls
  readonly text: (row: LiveRow, includeWaits: boolean) => string;
}

// The numeric columns, left to right; the widths hold the title with its sort
// mark and the usual cells ("1,234,567" calls/s and "12,345 s" widen theirs).
const NUMBER_COLUMNS: readonly NumberColumn[] = [
  { sort: 'calls', title: 'CALLS/s', width: 8, text: (r) => formatRate(r.callsPerSec) },
  { sort: 'errors', title: 'ERR/s', width: 6, text: (r) => (r.errors === 0 ? '0' : formatRate(r.errorsPerSec)) },
  { sort: 'avg', title: 'AVG', width: 7, text: (r) => formatDuration(r.latency().avgNs) },
  { sort: 'p50', title: 'P50', width: 7, text: (r) => formatDuration(r.latency().p50Ns) },
  { sort: 'p99', title: 'P99', width: 7, text: (r) => formatDuration(r.latency().p99Ns) },
  { sort: 'max', title: 'MAX', width: 7, text: (r) => formatDuration(r.latency().maxNs) },
  { sort: 'share', title: '%TIME', width: 6, text: (r, w) => percentText(timeShare(r, w)) },
];

// Narrowest name column, and the widest worth giving it.
const MIN_NAME = 12;
const MAX_NAME = 40;
// a sparkline narrower than this is left out
const MIN_SPARK = 5;
const SPARK_TITLE = 'RECENT';

// How wide the columns are at one terminal width.
export interface TableLayout {
  readonly nameWidth: number;
  // one per numeric column, in order
  readonly numberWidths: readonly number[];
  // 0: no sparkline column
  readonly sparkWidth: number;
  // %TIME counts waiting calls (of all traced time); false: of working time, waiting rows show "wait"
  readonly includeWaits: boolean;
}

// Fits the columns into `width` for the rows on screen: numbers as wide as
// their cells need, the name as wide as the longest (within bounds), the
// sparkline gets the rest (up to 30 intervals). includeWaits: what %TIME is over.
export function fitColumns(width: number, rows: readonly LiveRow[], includeWaits = false): TableLayout {
  const numberWidths = NUMBER_COLUMNS.map((c, i) => rows.reduce((w, r) => Math.max(w, cellsOf(r, includeWaits)[i]!.length), c.width));
  const fixed = numberWidths.reduce((n, w) => n + w + 1, 0);
  const longestName = rows.reduce((n, r) => Math.max(n, labelOf(r).length), 0);
  const free = Math.max(MIN_NAME, width - fixed);
  const nameWidth = Math.min(free, Math.max(MIN_NAME, Math.min(MAX_NAME, longestName)));
  const rest = width - fixed - nameWidth - 1;
  return { nameWidth, numberWidths, sparkWidth: rest >= MIN_SPARK ? Math.min(30, rest) : 0, includeWaits };
}

// each row's numeric cells, formatted once for fitColumns and rowLine (rows live one interval)
const cells = new WeakMap<LiveRow, { readonly includeWaits: boolean; readonly texts: readonly string[] }>();

function cellsOf(row: LiveRow, includeWaits: boolean): readonly string[] {
  const known = cells.get(row);
  if (known !== undefined && known.includeWaits === includeWaits) return known.texts;
  const texts = NUMBER_COLUMNS.map((c) => c.text(row, includeWaits));
  cells.set(row, { includeWaits, texts });
  return texts;
}

// The title line; the sort column is marked with ▼ (▲ for names, which sort ascending).
export function titleLine(view: ViewName, sort: SortColumn, layout: TableLayout): string {
  const mark = (title: string, col: SortColumn): string => (col === sort ? `${col === 'name' ? '▲' : '▼'}${title}` : title);
  const parts = [fit(mark(VIEW_TITLES[view], 'name'), layout.nameWidth, 'left')];
  NUMBER_COLUMNS.forEach((c, i) => parts.push(fit(mark(c.title, c.sort), layout.numberWidths[i]!, 'right')));
  if (layout.sparkWidth > 0) parts.push(fit(SPARK_TITLE, layout.sparkWidth, 'left'));
  return parts.join(' ').trimEnd();
}

// One row's line; marked: an anomaly is active on it (the label starts with "! ").
export function rowLine(row: LiveRow, recent: readonly number[], layout: TableLayout, marked = false): string {
  const parts = [fit(marked ? `${ANOMALY_MARK} ${labelOf(row)}` : labelOf(row), layout.nameWidth, 'left')];
  cellsOf(row, layout.includeWaits).forEach((cell, i) => parts.push(fit(cell, layout.numberWidths[i]!, 'right')));
  if (layout.sparkWidth > 0) parts.push(sparkline(recent, layout.sparkWidth));
  return parts.join(' ').trimEnd();
}

// The title line of the waiting section, as wide as the table; it names how to
// count waits in: the w key on the screen, --include-waits for batch output.
export function waitingTitle(layout: TableLayout, toggle: 'key' | 'flag'): string {
  const width = layout.nameWidth + layout.numberWidths.reduce((n, w) => n + w + 1, 0);
  const text = `-- waiting calls, not in %TIME (${toggle === 'key' ? 'w' : '--include-waits'} counts them) `;
  return text.length >= width ? fit(text, width, 'left').trimEnd() : text.padEnd(width, '-');
}

// How a row looks: exited processes and waiting rows dimmed, rows whose calls
// mostly fail in the warning colour.
export function rowTone(row: LiveRow): 'plain' | 'warn' | 'dim' {
  if (row.gone || row.waiting) return 'dim';
  return row.errors > 0 && row.errors >= row.calls / 2 ? 'warn' : 'plain';
}

// A %TIME cell: "12.3", or "wait" for a waiting row while waits are apart.
function percentText(share: number | null): string {
  return share === null ? 'wait' : (share * 100).toFixed(1);
}

function labelOf(row: LiveRow): string {
  return row.gone ? `${row.label} (exited)` : row.label;
}

// Text padded or cut (with …) to exactly `width` columns.
export function fit(text: string, width: number, align: 'left' | 'right'): string {
  if (width <= 0) return '';
  const cut = text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
  return align === 'left' ? cut.padEnd(width) : cut.padStart(width);
}
