// Sections of the Markdown report about where: per-file I/O patterns, hot
// files, threads and processes. Each returns lines (a table or a sentence).
import type { IoStreamStats } from '../../core/analysis/facts/io-streams.js';
import type { ReportModel } from '../../core/analysis/report-model.js';
import { markdownTable, type MarkdownColumn } from './markdown-table.js';
import { formatBytes, formatCount, formatDuration, formatPercent } from './units.js';

const IO_COLUMNS: readonly MarkdownColumn[] = [
  { title: 'File', align: 'left' },
  { title: 'Pattern', align: 'left' },
  { title: 'Ops', align: 'right' },
  { title: 'Bytes', align: 'right' },
  { title: 'Time', align: 'right' },
  { title: 'Avg size', align: 'right' },
  { title: 'R/W ratio', align: 'right' },
  { title: 'Sequential', align: 'right' },
];

const HOT_COLUMNS: readonly MarkdownColumn[] = [
  { title: 'File', align: 'left' },
  { title: 'Time', align: 'right' },
  { title: 'Read', align: 'right' },
  { title: 'Write', align: 'right' },
  { title: 'Sync', align: 'right' },
  { title: 'Open/stat/close', align: 'right' },
  { title: 'Reads', align: 'right' },
  { title: 'Writes', align: 'right' },
  { title: 'Syncs', align: 'right' },
  { title: 'Opens', align: 'right' },
];

const THREAD_COLUMNS: readonly MarkdownColumn[] = [
  { title: 'TID', align: 'right' },
  { title: 'PID', align: 'right' },
  { title: 'Command', align: 'left' },
  { title: 'Calls', align: 'right' },
  { title: 'Errors', align: 'right' },
  { title: 'Time in syscalls', align: 'right' },
];

const PROCESS_COLUMNS: readonly MarkdownColumn[] = [
  { title: 'PID', align: 'right' },
  { title: 'Command', align: 'left' },
  { title: 'Calls', align: 'right' },
  { title: 'Errors', align: 'right' },
  { title: 'Time in syscalls', align: 'right' },
];

const NO_FACTS = '_Not available: this capture has no per-call events (an aggregate capture); record with `trace --output f.csv` for per-file facts._';

// Per-file I/O: pattern (sequential/random/mixed), bytes, ops, time, average size, read/write ratio.
export function ioPatternSection(model: ReportModel): string[] {
  const t = model.ioPatterns;
  if (t === null) return [NO_FACTS];
  if (t.files.length === 0 && t.other === null) return ['No reads or writes on files or sockets in this capture.'];
  const rows = t.files.map((s) => ioRow(s.path ?? '(unknown fd)', s));
  if (t.other !== null) rows.push(ioRow(`(${t.foldedAtLeast ? 'at least ' : ''}${formatCount(t.folded)} other files)`, t.other));
  const out = markdownTable(IO_COLUMNS, rows);
  if (t.omitted > 0) out.push('', `... and ${formatCount(t.omitted)} more files.`);
  out.push('', '_Sequential: the share of calls starting where the previous call on the same fd ended; a pattern needs at least 8 such comparisons (else "unknown")._');
  return out;
}

function ioRow(name: string, s: IoStreamStats): string[] {
  return [
    name,
    s.pattern,
    formatCount(s.ops),
    formatBytes(s.bytes),
    formatDuration(s.totalNs),
    s.avgBytes === null ? '-' : formatBytes(Math.round(s.avgBytes)),
    s.readWriteRatio === null ? (s.reads.bytes > 0 ? 'reads only' : '-') : ratioText(s.readWriteRatio),
    s.sequentialShare === null ? '-' : formatPercent(s.sequentialShare),
  ];
}

// Bytes read per byte written: "writes only", "0.25", "3.0", "1,200".
function ratioText(r: number): string {
  if (r === 0) return 'writes only';
  return r >= 100 ? formatCount(r) : r.toFixed(r < 1 ? 2 : 1);
}

// The files with the most syscall time, split by what was done to them.
export function hotFilesSection(model: ReportModel): string[] {
  if (model.ioPatterns === null) return [NO_FACTS];
  if (model.hotFiles.length === 0) return ['No files were opened, read, written or synced in this capture.'];
  return markdownTable(
    HOT_COLUMNS,
    model.hotFiles.map((f) => [
      f.path,
      formatDuration(f.totalNs),
      formatDuration(f.readNs),
      formatDuration(f.writeNs),
      formatDuration(f.syncNs),
      formatDuration(f.metadataNs),
      formatCount(f.reads),
      formatCount(f.writes),
      formatCount(f.syncs),
      formatCount(f.opens),
    ]),
  );
}

// The threads with the most syscall time, then the processes when there are several.
export function threadsSection(model: ReportModel): string[] {
  const out: string[] = [];
  const { threads, processes } = model;
  if (threads.rows.length === 0) out.push('No per-thread numbers in this capture (an aggregate capture has per-process numbers only).');
  else {
    out.push(...markdownTable(THREAD_COLUMNS, threads.rows.map((t) => [String(t.tid), String(t.pid), t.comm === '' ? '?' : t.comm, formatCount(t.calls), formatCount(t.errors), formatDuration(t.totalNs)])));
    if (threads.omitted > 0) out.push('', `... and ${formatCount(threads.omitted)} more threads.`);
  }
  if (processes.rows.length > 1 || threads.rows.length === 0) {
    out.push('', '**Processes:**', '', ...markdownTable(PROCESS_COLUMNS, processes.rows.map((p) => [String(p.pid), p.comm === '' ? '?' : p.comm, formatCount(p.calls), formatCount(p.errors), formatDuration(p.totalNs)])));
    if (processes.omitted > 0) out.push('', `... and ${formatCount(processes.omitted)} more processes.`);
  }
  return out;
}
