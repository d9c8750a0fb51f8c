// Opening a `perf trace -o FILE` log as a CaptureSource.
import type { CaptureMeta, CaptureSource } from '../../model/events.js';
import { logMeta, openLineLog } from '../line-log.js';
import { PerfTraceParser, type PerfParseStats } from './parse.js';
import { hostArch } from '../../model/syscall-names.js';

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
  const parser = new PerfTraceParser(path, hostArch(), opts.batchRows);
  const source = openLineLog(path, parser, logMeta('perf', opts), ({ stats }) => ({
    durationNs: stats.firstUs === null || stats.lastUs === null ? null : (stats.lastUs - Math.min(0, stats.firstUs)) * 1000,
    lostEvents: stats.lostEvents,
  }), opts.chunkBytes);
  return { ...source, stats: parser.stats };
}

// Whether the first bytes of a file look like perf trace output (a timed call
// line or a lost-events notice on the first non-blank line).
export function looksLikePerfTrace(firstBytes: Buffer): boolean {
  const text = firstBytes.toString('utf8');
  const first = text.split('\n').find((l) => l.trim() !== '');
  if (first === undefined) return false;
  return /^\s*(\?|\d+\.\d{3}) \(\s*(\d+\.\d{3} ms)?\s*\): .*?\/\d+ /.test(first) || /^LOST \d+ events!/.test(first);
}
