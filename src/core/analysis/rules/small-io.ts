// What small-writes and small-reads share: the fds with many small calls in one
// direction, and the saving of buffering them.
//
// Saving: a buffer of BUFFER_BYTES (64 KiB) turns the small calls' bytes into
// ceil(bytes / 64 KiB) calls; the calls saved each cost what a small call cost
// in this capture: (count - ceil(bytes / 64 KiB)) * (small calls' time / count).
import type { IoSideStats, IoStreamStats } from '../facts/io-streams.js';

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

// "fd 3 (/var/log/app.log) of pid 100".
export function streamName(s: IoStreamStats): string {
  const what = s.path ?? 'an unknown file';
  return s.fd === null ? what : `fd ${s.fd} (${what}) of pid ${s.pid}`;
}
