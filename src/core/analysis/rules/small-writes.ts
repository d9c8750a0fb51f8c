// Rule small-writes: many small writes to one fd -> buffer them.
//
// Fires per fd (at most SMALL_IO_TOP) with at least SMALL_WRITES_MIN_CALLS
// successful writes below SMALL_IO_BYTES (4 KiB) asked for, making at least
// SMALL_WRITES_SHARE of its writes. Needs per-call facts. Saving: see small-io.ts.
import { formatBytes, formatCalls, formatCount, formatDuration, formatPercent } from '../../../presentation/render/units.js';
import { SMALL_IO_BYTES } from '../facts/io-streams.js';
import { finding, type Finding, type FindingContext } from '../findings.js';
import { ofWall } from './measure.js';
import { BUFFER_BYTES, smallIoCases, streamName } from './small-io.js';

// An fd needs at least this many small writes...
export const SMALL_WRITES_MIN_CALLS = 100;
// ...making at least this share of its writes.
export const SMALL_WRITES_SHARE = 0.5;

// Many small writes to one fd: buffer them.
export function smallWrites(ctx: FindingContext): Finding[] {
  if (ctx.facts === null) return [];
  return smallIoCases(ctx.facts.fds.rows, 'writes', SMALL_WRITES_MIN_CALLS, SMALL_WRITES_SHARE).map((c) =>
    finding(ctx, {
      rule: 'small-writes',
      syscall: c.side.syscall,
      title: `${formatCount(c.side.smallOps)} small writes to ${c.stream.path ?? `fd ${c.stream.fd}`}`,
      evidence: [
        `${formatCount(c.side.smallOps)} of ${formatCount(c.side.ops)} writes to ${streamName(c.stream)} were under ${formatBytes(SMALL_IO_BYTES)} (${formatPercent(c.side.smallOps / c.side.ops)}), ${formatBytes(Math.round(c.side.smallBytes / c.side.smallOps))} on average`,
        `They took ${formatDuration(c.side.smallNs)}${ofWall(ctx, c.side.smallNs)}, ${formatDuration(c.side.smallNs / c.side.smallOps)} per call`,
        `Buffered in ${formatBytes(BUFFER_BYTES)} chunks the same ${formatBytes(c.side.smallBytes)} would take ${formatCalls(c.side.smallOps - c.savedCalls)} instead of ${formatCount(c.side.smallOps)}`,
      ],
      why: 'Every write is a trip into the kernel with a fixed cost, so many tiny writes spend more time on overhead than on data.',
      recommendation: [
        `Buffer writes in user space (a ${formatBytes(BUFFER_BYTES)} buffer, stdio setvbuf, BufWriter, BufferedOutputStream) and flush when full`,
        'Gather several buffers per call with writev',
      ],
      savingNs: c.savingNs,
    }),
  );
}
