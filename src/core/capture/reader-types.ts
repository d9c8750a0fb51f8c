// What the capture file readers share: options and the end-of-capture facts.
import type { CaptureMeta, CaptureSource } from '../model/events.js';
import type { IoUringProfile } from '../model/io-uring.js';
import type { Profile } from '../model/profile.js';
import type { StackProfile } from '../model/stacks.js';
import type { SkippedRows } from './bad-rows.js';
import type { ProgressOutput } from './progress.js';

// Options of a capture reader.
export interface ReaderOptions {
  // skip (and count) bad rows instead of failing on the first one
  readonly skipBad?: boolean;
  // where a progress bar may go (drawn only for a terminal and a file over 50 MB);
  // default: stderr; null: none
  readonly progress?: ProgressOutput | null;
  // rows per batch (default 8192)
  readonly batchRows?: number;
  // initial read buffer size (tests use a tiny one to split rows across reads)
  readonly chunkBytes?: number;
}

// Default rows per batch.
export const BATCH_ROWS = 8192;

// What a capture file gives once its batches are consumed: the model's final()
// plus the rows skipped with skipBad (null when none).
export interface CaptureEnd {
  readonly meta: CaptureMeta;
  readonly profile: Profile | null;
  readonly skipped: SkippedRows | null;
  // what the reader could not trust and left unknown (a cut trailer), one line each
  readonly warnings?: readonly string[];
  // io_uring requests (spb captures of the eBPF backend); absent or null otherwise
  readonly ioUring?: IoUringProfile | null;
  // the kernel's stacks of the slow calls (spb captures of --stacks); absent or null otherwise
  readonly stacks?: StackProfile | null;
}

// A capture file being read.
export interface CaptureFile extends CaptureSource {
  final(): CaptureEnd;
}
