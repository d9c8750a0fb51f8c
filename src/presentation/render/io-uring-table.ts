// The io_uring table: per opcode, submit -> complete. Under the syscall table
// of `trace` and `analyze` (text), and the report's io_uring section (Markdown).
import { ioUringRows, type IoUringRow } from '../../core/analysis/io-uring-rows.js';
import type { IoUringProfile } from '../../core/model/io-uring.js';
import { errnoNameOf } from '../../core/model/errno.js';
import type { Palette } from './color.js';
import { IO_URING_FILES_TITLE, IO_URING_FILE_TITLES, ioUringFileCells, shownIoUringFiles } from './io-uring-files.js';
import { textTable, type Cell, type Column } from './text-table.js';
import { formatBytes, formatCount, formatDuration, formatPercent } from './units.js';

// Column titles, in cell order; the first is left-aligned, the rest right-aligned.
export const IO_URING_TITLES = ['io_uring op', 'Count', 'Errors', 'Total', 'p50', 'p99', 'Max', 'Bytes', 'Punted'] as const;

const COLUMNS: readonly Column[] = IO_URING_TITLES.map((title, i) => ({ title, align: i === 0 ? 'left' : 'right' }));
const FILE_COLUMNS: readonly Column[] = IO_URING_FILE_TITLES.map((title, i) => ({ title, align: i < 2 ? 'left' : 'right' }));

// Title of the section.
export const IO_URING_TITLE = 'io_uring Requests (submit -> complete)';

// "0", "3 EBADF", "5 EAGAIN, 2 EBADF, 1 other"
function errorsCell(r: IoUringRow): string {
  if (r.errors === 0) return '0';
  const shown = r.errnos.slice(0, 2);
  const rest = r.errors - shown.reduce((n, e) => n + e.count, 0);
  const parts = shown.map((e) => `${formatCount(e.count)} ${errnoNameOf(e.errno) ?? `E${e.errno}`}`);
  if (rest > 0) parts.push(`${formatCount(rest)} other`);
  return parts.join(', ');
}

// Every cell of a row.
export function ioUringCells(r: IoUringRow): string[] {
  return [
    r.op,
    formatCount(r.count),
    errorsCell(r),
    formatDuration(r.totalNs),
    formatDuration(r.p50Ns),
    formatDuration(r.p99Ns),
    formatDuration(r.maxNs),
    r.bytes > 0 ? formatBytes(r.bytes) : '-',
    r.punted > 0 ? `${formatCount(r.punted)} (${formatPercent(r.puntRate ?? 0)})` : '0',
  ];
}

// Whether a capture has anything to show about io_uring: requests, or a reason it was not traced.
export function hasIoUring(u: IoUringProfile | null | undefined): u is IoUringProfile {
  if (u == null) return false;
  return u.traced ? u.ops.some((o) => o.count > 0) || u.inFlight.length > 0 : u.offReason !== null;
}

// The lines under the table: who, waits, overflows, in flight, drops; or why io_uring was not traced.
export function ioUringNotes(u: IoUringProfile): string[] {
  if (!u.traced) return [`io_uring is not traced: ${u.offReason ?? 'unknown'}`];
  const waits = u.processes.reduce((n, x) => n + x.waits, 0);
  const overflows = u.processes.reduce((n, x) => n + x.overflows, 0);
  const procs = u.processes.map((x) => `${x.comm || '?'} (${x.tgid})`).join(', ');
  // a CSV or JSON lines capture has the requests, not the kernel's counts
  const counts = u.fromRecords === true ? 'waits and CQ overflows are counted in spb captures only' : `${formatCount(waits)} waits for completions in io_uring_enter; ${formatCount(overflows)} CQ overflows`;
  const lines = [`by ${procs}; ${counts}`];
  if (u.inFlight.length > 0) {
    const oldest = u.inFlight[0]!;
    lines.push(`${formatCount(u.inFlight.length)} requests still in flight at the end, the oldest ${oldest.op} for ${formatDuration(oldest.ageNs)}`);
  }
  lines.push(...ringLines(u));
  if (u.drops > 0) lines.push(`${formatCount(u.drops)} requests not timed: the kernel's request table was full`);
  return lines;
}

// Rings shown, most requests first.
const RING_LINES = 5;

// "ring 1a2b3c4d of db (42): 60 requests in 18 io_uring_enter calls that submit (3.3 per call); depth 2.4 average, 4 max"
function ringLines(u: IoUringProfile): string[] {
  const all = u.processes.flatMap((p) => (p.rings ?? []).map((r) => ({ p, r }))).sort((a, b) => b.r.requests - a.r.requests);
  const lines = all.slice(0, RING_LINES).map(({ p, r }) => {
    const calls =
      r.submits === 0
        ? 'submitted by its SQPOLL thread'
        : `in ${formatCount(r.submits)} io_uring_enter calls that submit (${(r.requests / r.submits).toFixed(1)} per call)`;
    return `ring ${r.ring.toString(16).padStart(8, '0')} of ${p.comm || '?'} (${p.tgid}): ${formatCount(r.requests)} requests ${calls}; depth ${r.avgDepth.toFixed(1)} average, ${formatCount(r.maxDepth)} max`;
  });
  if (all.length > RING_LINES) lines.push(`${formatCount(all.length - RING_LINES)} more rings`);
  return lines;
}

// Lines of the io_uring section in text; [] when there is nothing to show
// (io_uring traced but unused, or a backend that cannot see it).
export function renderIoUringTable(u: IoUringProfile | null | undefined, p: Palette): string[] {
  if (!hasIoUring(u)) return [];
  if (!u.traced) return ioUringNotes(u).map((l) => p.dim(l));
  const lines = [p.strong(`${IO_URING_TITLE}:`), p.dim('─'.repeat(52))];
  const cells = ioUringRows(u.ops).map((r): Cell[] => {
    const c: Cell[] = ioUringCells(r);
    if (r.errors > 0) c[2] = { text: c[2] as string, paint: p.bad };
    return c;
  });
  if (cells.length > 0) lines.push(...textTable(COLUMNS, cells, p.strong));
  const notes = ioUringNotes(u);
  lines.push(p.dim(notes[0]!), ...notes.slice(1).map((l) => (l.includes('not timed') ? p.bad(l) : l)));
  const files = shownIoUringFiles(u.files);
  if (files.length > 0) lines.push('', p.strong(`${IO_URING_FILES_TITLE}:`), ...textTable(FILE_COLUMNS, files.map(ioUringFileCells), p.strong));
  return lines;
}
