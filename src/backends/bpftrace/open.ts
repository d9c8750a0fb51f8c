// Opening the generated bpftrace script's output file as a CaptureSource.
import { LineReader } from '../../capture/line-reader.js';
import type { CaptureMeta, CaptureSource, EventBatch } from '../../model/events.js';
import { assertFewBadLines } from '../perf/bad-lines.js';
import type { PerfLogOptions } from '../perf/open.js';
import { BpftraceParser, type BpftraceParseStats } from './parse.js';

// A bpftrace log being read: the model's CaptureSource plus the parser's counts.
export interface BpftraceCapture extends CaptureSource {
  // complete once `batches` has been consumed
  readonly stats: Readonly<BpftraceParseStats>;
}

// Opens a bpftrace output file (InputError when it cannot be opened, or at the
// end when more than 1% of the lines are unreadable); read once.
export function openBpftraceLog(path: string, opts: PerfLogOptions = {}): BpftraceCapture {
  const reader = new LineReader(path, opts.chunkBytes);
  const parser = new BpftraceParser(path, 'x86_64', opts.batchRows);
  const meta: CaptureMeta = {
    backend: 'bpftrace',
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
      const { firstNs, lastNs } = parser.stats;
      const durationNs = firstNs === null || lastNs === null ? null : lastNs - firstNs;
      return { meta: { ...meta, durationNs, lostEvents: parser.stats.lostEvents }, profile: null };
    },
  };
}
