// Rule small-reads: many small reads from one fd -> bigger buffers, readahead.
//
// Fires per fd (at most SMALL_IO_TOP) with at least SMALL_READS_MIN_CALLS
// successful reads below SMALL_IO_BYTES (4 KiB) asked for, making at least
// SMALL_READS_SHARE of its reads. Needs per-call facts. Saving: see small-io.ts.
import { formatBytes, formatCalls, formatCount, formatDuration, formatPercent } from '../../../presentation/render/units.js';
import { SMALL_IO_BYTES } from '../facts/io-streams.js';
import { finding, type Finding, type FindingContext } from '../findings.js';
import { ofWall } from './measure.js';
import { BUFFER_BYTES, smallIoCases, streamName } from './small-io.js';

// An fd needs at least this many small reads...
export const SMALL_READS_MIN_CALLS = 100;
// ...making at least this share of its reads.
export const SMALL_READS_SHARE = 0.5;

// Many small reads from one fd: read bigger blocks.
export function smallReads(ctx: FindingContext): Finding[] {
  if (ctx.facts === null) return [];
  return smallIoCases(ctx.facts.fds.rows, 'reads', SMALL_READS_MIN_CALLS, SMALL_READS_SHARE).map((c) =>
    finding(ctx, {
      rule: 'small-reads',
      syscall: c.side.syscall,
      title: `${formatCount(c.side.smallOps)} small reads from ${c.stream.path ?? `fd ${c.stream.fd}`}`,
      evidence: [
        `${formatCount(c.side.smallOps)} of ${formatCount(c.side.ops)} reads from ${streamName(c.stream)} asked for under ${formatBytes(SMALL_IO_BYTES)} (${formatPercent(c.side.smallOps / c.side.ops)}), ${formatBytes(Math.round(c.side.smallBytes / c.side.smallOps))} returned on average`,
        `They took ${formatDuration(c.side.smallNs)}${ofWall(ctx, c.side.smallNs)}, ${formatDuration(c.side.smallNs / c.side.smallOps)} per call`,
        `Read in ${formatBytes(BUFFER_BYTES)} blocks the same ${formatBytes(c.side.smallBytes)} would take ${formatCalls(c.side.smallOps - c.savedCalls)} instead of ${formatCount(c.side.smallOps)}`,
      ],
      why: 'Every read is a trip into the kernel with a fixed cost, so reading a few bytes at a time spends the time on overhead rather than data.',
      recommendation: [
        `Read into a larger buffer (${formatBytes(BUFFER_BYTES)} or more: stdio setvbuf, BufReader, BufferedInputStream) and parse from it`,
        'For files read front to back, posix_fadvise(POSIX_FADV_SEQUENTIAL) lets the kernel read further ahead',
      ],
      savingNs: c.savingNs,
    }),
  );
}
