// Summing io_uring opcode stats over processes (snapshots, per-request records).
import type { IoUringOpStats } from './io-uring.js';
import type { ErrnoCount } from './profile.js';

// Per opcode over every process: counts summed, histograms merged, errnos added.
export function sumOps(ops: readonly IoUringOpStats[]): IoUringOpStats[] {
  const by = new Map<number, IoUringOpStats[]>();
  for (const o of ops) by.set(o.opcode, [...(by.get(o.opcode) ?? []), o]);
  return [...by.values()]
    .map((list) => {
      const first = list[0]!;
      const histogram = first.histogram.clone();
      const errnos = new Map<number, number>();
      for (const o of list.slice(1)) histogram.merge(o.histogram);
      for (const o of list) for (const e of o.errnos) errnos.set(e.errno, (errnos.get(e.errno) ?? 0) + e.count);
      const sum = (f: (o: IoUringOpStats) => number): number => list.reduce((n, o) => n + f(o), 0);
      return {
        op: first.op,
        opcode: first.opcode,
        count: sum((o) => o.count),
        errors: sum((o) => o.errors),
        totalNs: sum((o) => o.totalNs),
        maxNs: Math.max(...list.map((o) => o.maxNs)),
        histogram,
        punted: sum((o) => o.punted),
        bytes: sum((o) => o.bytes),
        errnos: sortErrnos([...errnos].map(([errno, count]) => ({ errno, count }))),
      };
    })
    .sort(byTime);
}

// Errno counts, most first.
export function sortErrnos(list: ErrnoCount[]): ErrnoCount[] {
  return list.sort((a, b) => b.count - a.count || a.errno - b.errno);
}

// Most total time first, then most requests, then opcode.
export function byTime(a: IoUringOpStats, b: IoUringOpStats): number {
  return b.totalNs - a.totalNs || b.count - a.count || a.opcode - b.opcode;
}
