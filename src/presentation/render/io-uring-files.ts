// The io_uring requests per file (from per-request records): which files the
// requests went to, how long they took there and whether they were sequential.
import type { IoUringFileStats } from '../../core/model/io-uring.js';
import { formatBytes, formatCount, formatDuration } from './units.js';

// Column titles, in cell order; the first two are left-aligned, the rest right-aligned.
export const IO_URING_FILE_TITLES = ['io_uring file', 'op', 'Count', 'Total', 'Avg', 'Max', 'Bytes', 'Punted', 'Access'] as const;

// Rows shown in text and Markdown (JSON has them all).
export const IO_URING_FILE_ROWS = 10;

// The title of the table.
export const IO_URING_FILES_TITLE = 'io_uring Requests by File';

// "/data/x", "fixed file #0", "fd 7"
export function ioUringFileName(f: IoUringFileStats): string {
  if (f.path !== null) return f.path;
  return f.fixedFile ? `fixed file #${f.fd}` : `fd ${f.fd}`;
}

// Every cell of a row.
export function ioUringFileCells(f: IoUringFileStats): string[] {
  return [
    ioUringFileName(f),
    f.op,
    formatCount(f.count),
    formatDuration(f.totalNs),
    formatDuration(f.count > 0 ? f.totalNs / f.count : null),
    formatDuration(f.maxNs),
    f.bytes > 0 ? formatBytes(f.bytes) : '-',
    formatCount(f.punted),
    f.pattern === 'unknown' ? '-' : f.pattern,
  ];
}

// The rows worth showing: most time first, at most IO_URING_FILE_ROWS; [] without per-request records.
export function shownIoUringFiles(files: readonly IoUringFileStats[] | undefined): readonly IoUringFileStats[] {
  return (files ?? []).slice(0, IO_URING_FILE_ROWS);
}
