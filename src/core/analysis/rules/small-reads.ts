// Rule small-reads: many small reads from one fd -> bigger buffers, readahead.
//
// Fires per fd (at most SMALL_IO_TOP) with at least SMALL_READS_MIN_CALLS
// successful reads below SMALL_IO_BYTES (4 KiB) asked for, making at least
// SMALL_READS_SHARE of its reads. Needs per-call facts. Saving: see small-io.ts.
import { finding, type Finding, type FindingContext, type FindingRule } from '../findings.js';
import { smallIoCases, smallIoMetrics, smallIoSubject, type SmallIoMetrics, type SmallIoSubject } from './small-io.js';

// An fd needs at least this many small reads...
export const SMALL_READS_MIN_CALLS = 100;
// ...making at least this share of its reads.
export const SMALL_READS_SHARE = 0.5;

// A small-reads finding: the fd and its small reads.
export type SmallReadsFinding = Finding<'small-reads', SmallIoSubject, SmallIoMetrics>;

// Many small reads from one fd: read bigger blocks.
export function smallReads(ctx: FindingContext): SmallReadsFinding[] {
  if (ctx.facts === null) return [];
  return smallIoCases(ctx.facts.fds.rows, 'reads', SMALL_READS_MIN_CALLS, SMALL_READS_SHARE).map((c) =>
    finding<SmallReadsFinding>(ctx, {
      rule: 'small-reads',
      syscall: c.side.syscall,
      subject: smallIoSubject(c),
      metrics: smallIoMetrics(ctx, c),
      savingNs: c.savingNs,
    }),
  );
}

// The rule's registry entry.
export const SMALL_READS: FindingRule<SmallReadsFinding> = { id: 'small-reads', generic: false, run: smallReads };
