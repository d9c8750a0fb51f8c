// Opening a `perf trace -o FILE` log as a CaptureSource.
import type { CaptureMeta, CaptureSource, EventBatch } from '../../model/events.js';
import { LineReader } from '../../capture/line-reader.js';
import { assertFewBadLines } from './bad-lines.js';
import { PerfTraceParser, type PerfParseStats } from './parse.js';

// How to read a perf trace log; the metadata fields the log itself cannot tell.
export interface PerfLogOptions {
  readonly batchRows?: number;
  readonly chunkBytes?: number;
  readonly target?: string;
  // wall clock at perf's time 0, ns since the Unix epoch; default '0' (unknown)
  readonly startRealNs?: string;
  readonly filters?: CaptureMeta['filters'];
}

// A perf trace log being read: the model's CaptureSource plus the parser's counts.
export interface PerfTraceCapture extends CaptureSource {
  // complete once `batches` has been consumed
  readonly stats: Readonly<PerfParseStats>;
}

// Opens a perf trace text log (InputError when it cannot be opened); lines are
// parsed as `batches` is iterated, once. More than 1% unreadable lines fail the
// read with InputError (exit 65) at the end.
export function openPerfTraceLog(path: string, opts: PerfLogOptions = {}): PerfTraceCapture {
  const reader = new LineReader(path, opts.chunkBytes);
  const parser = new PerfTraceParser(path, 'x86_64', opts.batchRows);
  const meta: CaptureMeta = {
    backend: 'perf',
    arch: 'x86_64',
    target: opts.target ?? '',
    startRealNs: opts.startRealNs ?? '0',
    durationNs: null,
    lostEvents: 0,
    filters: opts.filters ?? { syscalls: null, minDurationNs: 0, failedOnly: false },
  };
  let consumed = false;
  async function* iterate(): AsyncGenerator<EventBatch> {
    if (consumed) throw new Error(`${path}: batches can be read only once`);
    consumed = true;
    try {
      for (let line = reader.next(); line !== null; line = reader.next()) {
        parser.add(line.bytes.toString('utf8'), line.number);
        if (parser.batch.full) yield parser.take();
      }
      parser.finish();
      if (parser.batch.length > 0) yield parser.take();
      assertFewBadLines(parser.bad, parser.stats.lines);
    } finally {
      reader.close();
    }
  }
  return {
    meta,
    stats: parser.stats,
    batches: { [Symbol.asyncIterator]: () => iterate() },
    final() {
      const { firstUs, lastUs } = parser.stats;
      const durationNs = firstUs === null || lastUs === null ? null : (lastUs - Math.min(0, firstUs)) * 1000;
      return { meta: { ...meta, durationNs, lostEvents: parser.stats.lostEvents }, profile: null };
    },
  };
}

// Whether the first bytes of a file look like perf trace output (a timed call
// line or a lost-events notice on the first non-blank line).
export function looksLikePerfTrace(firstBytes: Buffer): boolean {
  const text = firstBytes.toString('utf8');
  const first = text.split('\n').find((l) => l.trim() !== '');
  if (first === undefined) return false;
  return /^\s*(\?|\d+\.\d{3}) \(\s*(\d+\.\d{3} ms)?\s*\): .*?\/\d+ /.test(first) || /^LOST \d+ events!/.test(first);
}
