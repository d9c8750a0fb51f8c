// Opening the generated bpftrace script's output file as a CaptureSource.
import type { CaptureSource } from '../../model/events.js';
import { logMeta, openLineLog } from '../line-log.js';
import type { PerfLogOptions } from '../perf/open.js';
import { BpftraceParser, type BpftraceParseStats } from './parse.js';
import { hostArch } from '../../model/syscall-names.js';

// A bpftrace log being read: the model's CaptureSource plus the parser's counts.
export interface BpftraceCapture extends CaptureSource {
  // complete once `batches` has been consumed
  readonly stats: Readonly<BpftraceParseStats>;
}

// Opens a bpftrace output file (InputError when it cannot be opened, or at the
// end when more than 1% of the lines are unreadable); read once.
export function openBpftraceLog(path: string, opts: PerfLogOptions = {}): BpftraceCapture {
  const parser = new BpftraceParser(path, hostArch(), opts.batchRows);
  const source = openLineLog(path, parser, logMeta('bpftrace', opts), ({ stats }) => ({
    durationNs: stats.firstNs === null || stats.lastNs === null ? null : stats.lastNs - stats.firstNs,
    lostEvents: stats.lostEvents,
  }), opts.chunkBytes);
  return { ...source, stats: parser.stats };
}
