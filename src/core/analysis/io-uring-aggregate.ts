// An io_uring opcode's requests in the shape of a syscall's aggregate
// ("io_uring read"), for what reads aggregates: the histogram command's
// buckets and modes. Percentiles are estimates from the in-kernel histogram.
import { errnoNameOf } from '../model/errno.js';
import { bucketBounds } from '../model/histogram-layout.js';
import { ioUringCategory, type IoUringOpStats } from '../model/io-uring.js';
import type { SyscallAggregate } from './aggregate.js';
import { EMPTY_DISTRIBUTION, histogramDistribution } from './distribution.js';

// The name an opcode's requests go by beside syscalls.
export function ioUringRowName(op: string): string {
  return `io_uring ${op}`;
}

// The aggregate of one opcode's requests.
export function ioUringAggregate(o: IoUringOpStats): SyscallAggregate {
  const empty = o.count === 0;
  const first = o.histogram.buckets()[0];
  return {
    name: ioUringRowName(o.op),
    count: o.count,
    errors: o.errors,
    errnos: o.errnos.map((e) => ({ errno: errnoNameOf(e.errno) ?? `E${e.errno}`, count: e.count })),
    totalNs: o.totalNs,
    minNs: empty ? null : first === undefined ? 0 : Math.min(bucketBounds(o.histogram.layout, first[0]).lowNs, o.maxNs),
    maxNs: empty ? null : o.maxNs,
    distribution: empty ? EMPTY_DISTRIBUTION : histogramDistribution(o.histogram, o.maxNs),
    edgeCounts: null,
    categories: empty ? [] : [{ category: ioUringCategory(o.op), calls: o.count, totalNs: o.totalNs, offCpuNs: null, runqNs: null }],
    offCpuNs: null,
    runqNs: null,
  };
}
