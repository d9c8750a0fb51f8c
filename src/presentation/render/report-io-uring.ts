// The report's io_uring section (Markdown): per opcode, submit -> complete.
import { ioUringRows } from '../../core/analysis/io-uring-rows.js';
import type { IoUringProfile } from '../../core/model/io-uring.js';
import { hasIoUring, ioUringCells, ioUringNotes, IO_URING_TITLES } from './io-uring-table.js';
import { IO_URING_FILES_TITLE, IO_URING_FILE_TITLES, ioUringFileCells, shownIoUringFiles } from './io-uring-files.js';
import { markdownTable, type MarkdownColumn } from './markdown-table.js';
import { escapeInline } from './report-markdown.js';

const COLUMNS: readonly MarkdownColumn[] = IO_URING_TITLES.map((title, i) => ({ title, align: i === 0 ? 'left' : 'right' }));
const FILE_COLUMNS: readonly MarkdownColumn[] = IO_URING_FILE_TITLES.map((title, i) => ({ title, align: i < 2 ? 'left' : 'right' }));

// The section's lines; [] when the capture has nothing about io_uring.
export function ioUringSection(u: IoUringProfile | null | undefined): string[] {
  if (!hasIoUring(u)) return [];
  const rows = ioUringRows(u.ops);
  const out = rows.length === 0 ? [] : [...markdownTable(COLUMNS, rows.map(ioUringCells)), ''];
  out.push(...ioUringNotes(u).map((l) => `_${escapeInline(l)}._`));
  const files = shownIoUringFiles(u.files);
  if (files.length > 0) out.push('', `**${IO_URING_FILES_TITLE}**`, '', ...markdownTable(FILE_COLUMNS, files.map(ioUringFileCells)));
  if (u.traced) out.push('', '_Each request timed in the kernel from its submission to its completion; punted: handed to an io-wq worker thread because it could not complete without blocking._');
  return out;
}
