// What the io_uring rules take from a capture: requests, waits, overflows
// summed over processes, and the io_uring_enter calls that submitted them.
import type { IoUringOpStats, IoUringProfile } from '../../model/io-uring.js';
import type { FindingContext } from '../findings.js';

// The capture's io_uring requests in numbers; null when it has none.
export interface IoUringUse {
  readonly requests: number;
  readonly totalNs: number;
  readonly waits: number;
  readonly overflows: number;
  // io_uring_enter calls (submissions and waits); 0 with SQPOLL or when not traced
  readonly enters: number;
  readonly entersNs: number;
  readonly ops: readonly IoUringOpStats[];
  readonly profile: IoUringProfile;
}

// The numbers of ctx's io_uring requests; null without any.
export function ioUringUse(ctx: FindingContext): IoUringUse | null {
  const u = ctx.ioUring;
  if (u === null || !u.traced) return null;
  const requests = u.ops.reduce((n, o) => n + o.count, 0);
  if (requests === 0) return null;
  const enter = ctx.syscall('io_uring_enter');
  return {
    requests,
    totalNs: u.ops.reduce((n, o) => n + o.totalNs, 0),
    waits: u.processes.reduce((n, p) => n + p.waits, 0),
    overflows: u.processes.reduce((n, p) => n + p.overflows, 0),
    enters: enter?.count ?? 0,
    entersNs: enter?.totalNs ?? 0,
    ops: u.ops,
    profile: u,
  };
}

// The requests of some opcodes: count and time.
export function opsOf(use: IoUringUse, names: readonly string[]): { count: number; totalNs: number } {
  let count = 0;
  let totalNs = 0;
  for (const o of use.ops) {
    if (!names.includes(o.op)) continue;
    count += o.count;
    totalNs += o.totalNs;
  }
  return { count, totalNs };
}
