// Opening a capture file of any format as a CaptureSource.
import { closeSync, readSync } from 'node:fs';
import { openInputFile } from '../capture/input-file.js';
import { InputError } from '../errors.js';
import { openCsvCapture } from '../capture/csv-reader.js';
import { openBpftraceLog } from './bpftrace/open.js';
import { looksLikePerfTrace, openPerfTraceLog } from './perf/open.js';
import { looksLikeStrace, openStraceLog } from './strace/log.js';
import type { CaptureSource } from '../model/events.js';
import { formatFromExtension, sniffFormat, type InputFormat } from '../capture/format.js';
import { openJsonlCapture } from '../capture/jsonl-reader.js';
import type { CaptureFile, ReaderOptions } from '../capture/reader-types.js';
import { openSpbCapture } from '../capture/spb-reader.js';
import { openParquetCapture } from '../capture/parquet-reader.js';

// How to open a capture.
export interface OpenOptions extends ReaderOptions {
  // the format; default: from the extension, else from the first bytes
  readonly format?: InputFormat;
}

// Opens a capture file: reads its metadata now (InputError, exit 65, when the
// file is missing, empty or malformed), its events as `batches` is iterated,
// once. final() after that gives the complete metadata, the aggregate profile
// of an aggregate-only spb capture, and the bad rows skipped with skipBad.
export function openCapture(path: string, options: OpenOptions = {}): CaptureFile {
  const format = options.format ?? formatFromExtension(path) ?? sniff(path);
  switch (format) {
    case 'csv':
      return openCsvCapture(path, options);
    case 'jsonl':
      return openJsonlCapture(path, options);
    case 'spb':
      return openSpbCapture(path, options);
    case 'parquet':
      return openParquetCapture(path, options);
    case 'perf':
      return asCaptureFile(openPerfTraceLog(path, options));
    case 'bpftrace':
      return asCaptureFile(openBpftraceLog(path, options));
    case 'strace':
      return asCaptureFile(openStraceLog(path, options.batchRows === undefined ? {} : { batchRows: options.batchRows }));
  }
}

// Another tool's log as a capture file: its bad lines fail or are reported by its parser.
function asCaptureFile(source: CaptureSource): CaptureFile {
  return {
    meta: source.meta,
    batches: source.batches,
    final: () => ({ ...source.final(), skipped: null }),
  };
}

// The format of a file without a telling extension, from its first bytes.
function sniff(path: string): InputFormat {
  const head = Buffer.alloc(1024);
  let n = 0;
  const { fd } = openInputFile(path);
  try {
    n = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (n === 0) throw new InputError('line 1: empty file, expected a capture (csv, jsonl, spb or parquet)', { file: path, line: 1 });
  // tools' logs first: strace -ttt lines start with digits, like CSV rows
  const first = head.subarray(0, n);
  if (looksLikeStrace(first)) return 'strace';
  if (looksLikePerfTrace(first)) return 'perf';
  const format = sniffFormat(first);
  if (format === null) {
    throw new InputError('byte offset 0: expected a capture (csv, jsonl, spb or parquet) or a strace/perf trace log but the content is none of them; name the format with --format', {
      file: path,
      offset: 0,
    });
  }
  return format;
}
