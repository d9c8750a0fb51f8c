// Reading a tracing tool's text log (perf trace, bpftrace) as a CaptureSource:
// lines go through the tool's parser as `batches` is iterated, once.
import { LineReader } from '../capture/line-reader.js';
import type { CaptureMeta, CaptureSource, EventBatch } from '../model/events.js';
import { assertFewBadLines, type BadLines } from './perf/bad-lines.js';
import { hostArch } from '../model/syscall-names.js';

// What a line parser offers: lines in, full batches out, its bad lines and counts.
export interface LineParser {
  readonly bad: BadLines;
  readonly stats: { readonly lines: number };
  readonly batch: EventBatch;
  add(text: string, number: number): void;
  take(): EventBatch;
  // the end of the log (unfinished calls, ...), when the parser needs to know
  finish?(): void;
}

// What only the end of the log tells.
export interface LogEnd {
  readonly durationNs: number | null;
  readonly lostEvents: number;
}

// Opens a log with its parser; `end` reads the parser's counts once the batches
// are consumed. More than 1% unreadable lines fail the read (InputError, exit 65).
export function openLineLog<P extends LineParser>(path: string, parser: P, meta: CaptureMeta, end: (parser: P) => LogEnd, chunkBytes?: number): CaptureSource {
  const reader = new LineReader(path, chunkBytes);
  let consumed = false;
  async function* iterate(): AsyncGenerator<EventBatch> {
    if (consumed) throw new Error(`${path}: batches can be read only once`);
    consumed = true;
    try {
      for (let line = reader.next(); line !== null; line = reader.next()) {
        parser.add(line.bytes.toString('utf8'), line.number);
        if (parser.batch.full) yield parser.take();
      }
      parser.finish?.();
      if (parser.batch.length > 0) yield parser.take();
      assertFewBadLines(parser.bad, parser.stats.lines);
    } finally {
      reader.close();
    }
  }
  return {
    meta,
    batches: { [Symbol.asyncIterator]: () => iterate() },
    final: () => ({ meta: { ...meta, ...end(parser) }, profile: null }),
  };
}

// The metadata a tool's log starts with; what it cannot tell comes from the caller.
export function logMeta(
  backend: string,
  opts: { readonly target?: string; readonly startRealNs?: string; readonly filters?: CaptureMeta['filters'] },
): CaptureMeta {
  return {
    backend,
    arch: hostArch(),
    target: opts.target ?? '',
    startRealNs: opts.startRealNs ?? '0',
    durationNs: null,
    lostEvents: 0,
    filters: opts.filters ?? { syscalls: null, minDurationNs: 0, failedOnly: false },
  };
}
