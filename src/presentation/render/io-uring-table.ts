// The io_uring table under the syscall table: per opcode, submit -> complete.
import { ioUringRows, type IoUringRow } from '../../core/analysis/io-uring-rows.js';
import type { IoUringProfile } from '../../core/model/io-uring.js';
import { errnoNameOf } from '../../core/model/errno.js';
import type { Palette } from './color.js';
import { textTable, type Column } from './text-table.js';
import { formatBytes, formatCount, formatDuration, formatPercent } from './units.js';

const COLUMNS: readonly Column[] = [
  { title: 'io_uring op', align: 'left' },
  { title: 'Count', align: 'right' },
  { title: 'Errors', align: 'right' },
  { title: 'Total', align: 'right' },
  { title: 'p50', align: 'right' },
  { title: 'p99', align: 'right' },
  { title: 'Max', align: 'right' },
  { title: 'Bytes', align: 'right' },
  { title: 'Punted', align: 'right' },
];

// "0", "3 EBADF", "5 EAGAIN, 2 EBADF, 1 other"
function errorsCell(r: IoUringRow): string {
  if (r.errors === 0) return '0';
  const shown = r.errnos.slice(0, 2);
  const rest = r.errors - shown.reduce((n, e) => n + e.count, 0);
  const parts = shown.map((e) => `${formatCount(e.count)} ${errnoNameOf(e.errno) ?? `E${e.errno}`}`);
  if (rest > 0) parts.push(`${formatCount(rest)} other`);
  return parts.join(', ');
}

// Lines of the io_uring section; none when io_uring was traced but unused,
// one line when it was not traced (saying why), nothing without io_uring data.
export function renderIoUringTable(u: IoUringProfile | null | undefined, p: Palette): string[] {
  if (u == null) return [];
  if (!u.traced) return u.offReason === null ? [] : [p.dim(`io_uring is not traced: ${u.offReason}`)];
  const rows = ioUringRows(u.ops);
  if (rows.length === 0 && u.inFlight.length === 0) return [];
  const lines = [p.strong('io_uring Requests (submit -> complete):'), p.dim('─'.repeat(52))];
  const cells = rows.map((r) => [
    r.op,
    formatCount(r.count),
    r.errors > 0 ? { text: errorsCell(r), paint: p.bad } : '0',
    formatDuration(r.totalNs),
    formatDuration(r.p50Ns),
    formatDuration(r.p99Ns),
    formatDuration(r.maxNs),
    r.bytes > 0 ? formatBytes(r.bytes) : '-',
    r.punted > 0 ? `${formatCount(r.punted)} (${formatPercent(r.puntRate ?? 0)})` : '0',
  ]);
  if (cells.length > 0) lines.push(...textTable(COLUMNS, cells, p.strong));
  const waits = u.processes.reduce((n, x) => n + x.waits, 0);
  const overflows = u.processes.reduce((n, x) => n + x.overflows, 0);
  const procs = u.processes.map((x) => `${x.comm || '?'} (${x.tgid})`).join(', ');
  lines.push(p.dim(`by ${procs}; ${formatCount(waits)} waits for completions in io_uring_enter; ${formatCount(overflows)} CQ overflows`));
  if (u.inFlight.length > 0) {
    const oldest = u.inFlight[0]!;
    lines.push(`${formatCount(u.inFlight.length)} requests still in flight at the end, the oldest ${oldest.op} for ${formatDuration(oldest.ageNs)}`);
  }
  if (u.drops > 0) lines.push(p.bad(`${formatCount(u.drops)} requests not timed: the kernel's request table was full`));
  return lines;
}
