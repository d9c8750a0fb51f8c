// What small-writes and small-reads share: the fds with many small calls in one
// direction, and the saving of buffering them.
//
// Saving: a buffer of BUFFER_BYTES (64 KiB) turns the small calls' bytes into
// ceil(bytes / 64 KiB) calls; the calls saved each cost what a small call cost
// in this capture: (count - ceil(bytes / 64 KiB)) * (small calls' time / count).
import { SMALL_IO_BYTES, type IoSideStats, type IoStreamStats } from '../facts/io-streams.js';
import type { FindingContext } from '../findings.js';
import { wallShare } from './measure.js';

// The buffer size the saving assumes.
export const BUFFER_BYTES = 64 * 1024;
// At most this many fds get a finding each.
export const SMALL_IO_TOP = 3;

// One fd with many small calls.
export interface SmallIoCase {
  readonly stream: IoStreamStats;
  readonly side: IoSideStats;
  readonly savedCalls: number;
  readonly savingNs: number;
}

// The fds whose `direction` has at least minCalls small calls making at least minShare of its calls, most saving first.
export function smallIoCases(streams: readonly IoStreamStats[], direction: 'reads' | 'writes', minCalls: number, minShare: number): SmallIoCase[] {
  return streams
    .map((stream): SmallIoCase | null => {
      const side = stream[direction];
      if (side.smallOps < minCalls || side.smallOps / side.ops < minShare) return null;
      const buffered = Math.ceil(side.smallBytes / BUFFER_BYTES);
      const savedCalls = Math.max(0, side.smallOps - buffered);
      return { stream, side, savedCalls, savingNs: savedCalls * (side.smallNs / side.smallOps) };
    })
    .filter((c): c is SmallIoCase => c !== null)
    .sort((a, b) => b.savingNs - a.savingNs)
    .slice(0, SMALL_IO_TOP);
}

// The fd a small-reads or small-writes finding is about.
export interface SmallIoSubject {
  readonly pid: number | null;
  // null when the calls of several fds were folded together
  readonly fd: number | null;
  // null when unknown
  readonly path: string | null;
}

// A small-reads or small-writes finding's numbers.
export type SmallIoMetrics = {
  // successful calls below SMALL_IO_BYTES asked for, of all successful calls in that direction
  readonly smallCalls: number;
  readonly calls: number;
  readonly smallShare: number;
  // what a call counts as small below
  readonly smallBelowBytes: number;
  readonly smallBytes: number;
  readonly avgBytes: number;
  readonly smallNs: number;
  readonly wallShare: number | null;
  // the buffer the saving assumes, and the calls the same bytes would take through it
  readonly bufferBytes: number;
  readonly bufferedCalls: number;
};

// A case's subject.
export function smallIoSubject(c: SmallIoCase): SmallIoSubject {
  return { pid: c.stream.pid, fd: c.stream.fd, path: c.stream.path };
}

// A case's numbers.
export function smallIoMetrics(ctx: FindingContext, c: SmallIoCase): SmallIoMetrics {
  return {
    smallCalls: c.side.smallOps,
    calls: c.side.ops,
    smallShare: c.side.smallOps / c.side.ops,
    smallBelowBytes: SMALL_IO_BYTES,
    smallBytes: c.side.smallBytes,
    avgBytes: c.side.smallBytes / c.side.smallOps,
    smallNs: c.side.smallNs,
    wallShare: wallShare(ctx, c.side.smallNs),
    bufferBytes: BUFFER_BYTES,
    bufferedCalls: c.side.smallOps - c.savedCalls,
  };
}
