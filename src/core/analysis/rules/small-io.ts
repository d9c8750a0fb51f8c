// What small-writes and small-reads share: the fds with many small calls in one
// direction, and the saving of buffering them.
//
// One finding per syscall, however many fds: the fd with the most saving is
// named, the others are counted and their calls added (a server's N
// connections are one pattern, not N findings). Sockets read and written
// about as often are request/response traffic: a buffer cannot gather a
// response that has to go out before the next request comes in, so they are
// left out here (batching requests is the protocol's business), and so are
// event fds (signalfd, eventfd, timerfd, inotify: anon_inode:...), whose every
// read takes one event of a fixed size by design.
//
// Saving: a buffer of BUFFER_BYTES (64 KiB) turns the small calls' bytes into
// ceil(bytes / 64 KiB) calls; the calls saved each cost what a small call cost
// in this capture: (count - ceil(bytes / 64 KiB)) * (small calls' time / count).
import { SMALL_IO_BYTES, type IoSideStats, type IoStreamStats } from '../facts/io-streams.js';
import type { FindingContext } from '../findings.js';
import { wallShare } from './measure.js';

// The buffer size the saving assumes.
export const BUFFER_BYTES = 64 * 1024;
// At most this many syscalls get a finding each.
export const SMALL_IO_TOP = 3;
// A socket whose reads and writes are within this ratio of each other is request/response.
export const REQUEST_RESPONSE_RATIO = 0.5;

// The fds of one syscall with many small calls: the one with the most saving,
// and the others added in.
export interface SmallIoCase {
  readonly stream: IoStreamStats;
  // the calls of every fd of the case together
  readonly side: IoSideStats;
  // fds besides `stream`
  readonly otherFds: number;
  readonly savedCalls: number;
  readonly savingNs: number;
}

// Whether a stream is request/response traffic: a socket read and written about as often.
export function isRequestResponse(stream: IoStreamStats): boolean {
  if (stream.path === null || !stream.path.startsWith('socket:')) return false;
  const r = stream.reads.ops;
  const w = stream.writes.ops;
  return r > 0 && w > 0 && Math.min(r, w) / Math.max(r, w) >= REQUEST_RESPONSE_RATIO;
}

// Whether a stream is an event fd (signalfd, eventfd, timerfd, inotify...): its reads take one event each.
export function isEventFd(stream: IoStreamStats): boolean {
  return stream.path !== null && stream.path.startsWith('anon_inode:');
}

// The fds whose `direction` has at least minCalls small calls making at least
// minShare of its calls (request/response sockets left out), one case per
// syscall, most saving first.
export function smallIoCases(streams: readonly IoStreamStats[], direction: 'reads' | 'writes', minCalls: number, minShare: number): SmallIoCase[] {
  const bySyscall = new Map<string | null, { stream: IoStreamStats; side: IoSideStats; savedCalls: number; savingNs: number }[]>();
  for (const stream of streams) {
    const side = stream[direction];
    if (side.smallOps < minCalls || side.smallOps / side.ops < minShare || isRequestResponse(stream) || isEventFd(stream)) continue;
    const buffered = Math.ceil(side.smallBytes / BUFFER_BYTES);
    const savedCalls = Math.max(0, side.smallOps - buffered);
    const one = { stream, side, savedCalls, savingNs: savedCalls * (side.smallNs / side.smallOps) };
    const list = bySyscall.get(side.syscall);
    if (list === undefined) bySyscall.set(side.syscall, [one]);
    else list.push(one);
  }
  return [...bySyscall.values()]
    .map((fds): SmallIoCase => {
      fds.sort((a, b) => b.savingNs - a.savingNs);
      const top = fds[0]!;
      const side = fds.slice(1).reduce((s, f) => addSides(s, f.side), top.side);
      return {
        stream: top.stream,
        side,
        otherFds: fds.length - 1,
        savedCalls: fds.reduce((n, f) => n + f.savedCalls, 0),
        savingNs: fds.reduce((n, f) => n + f.savingNs, 0),
      };
    })
    .sort((a, b) => b.savingNs - a.savingNs)
    .slice(0, SMALL_IO_TOP);
}

// Two fds' calls of one syscall, added.
function addSides(a: IoSideStats, b: IoSideStats): IoSideStats {
  return {
    ...a,
    ops: a.ops + b.ops,
    failed: a.failed + b.failed,
    bytes: a.bytes + b.bytes,
    totalNs: a.totalNs + b.totalNs,
    smallOps: a.smallOps + b.smallOps,
    smallBytes: a.smallBytes + b.smallBytes,
    smallNs: a.smallNs + b.smallNs,
    comparedOps: a.comparedOps + b.comparedOps,
    sequentialOps: a.sequentialOps + b.sequentialOps,
    nonSequentialNs: a.nonSequentialNs + b.nonSequentialNs,
    syncOps: a.syncOps + b.syncOps,
    syncNs: a.syncNs + b.syncNs,
    avgBytes: a.ops + b.ops === 0 ? null : (a.bytes + b.bytes) / (a.ops + b.ops),
  };
}

// The fd a small-reads or small-writes finding is about.
export interface SmallIoSubject {
  readonly pid: number | null;
  // null when the calls of several fds were folded together
  readonly fd: number | null;
  // null when unknown
  readonly path: string | null;
  // other fds with the same pattern, whose calls the metrics include
  readonly otherFds: number;
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
  return { pid: c.stream.pid, fd: c.stream.fd, path: c.stream.path, otherFds: c.otherFds };
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
