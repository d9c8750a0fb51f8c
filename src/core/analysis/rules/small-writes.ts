// Rule small-writes: many small writes to one fd -> buffer them.
//
// Fires per fd (at most SMALL_IO_TOP) with at least SMALL_WRITES_MIN_CALLS
// successful writes below SMALL_IO_BYTES (4 KiB) asked for, making at least
// SMALL_WRITES_SHARE of its writes. Needs per-call facts. Saving: see small-io.ts.
import { finding, type Finding, type FindingContext, type FindingRule } from '../findings.js';
import { smallIoCases, smallIoMetrics, smallIoSubject, type SmallIoMetrics, type SmallIoSubject } from './small-io.js';

// An fd needs at least this many small writes...
export const SMALL_WRITES_MIN_CALLS = 100;
// ...making at least this share of its writes.
export const SMALL_WRITES_SHARE = 0.5;

// A small-writes finding: the fd and its small writes.
export type SmallWritesFinding = Finding<'small-writes', SmallIoSubject, SmallIoMetrics>;

// Many small writes to one fd: buffer them.
export function smallWrites(ctx: FindingContext): SmallWritesFinding[] {
  if (ctx.facts === null) return [];
  return smallIoCases(ctx.facts.fds.rows, 'writes', SMALL_WRITES_MIN_CALLS, SMALL_WRITES_SHARE).map((c) =>
    finding<SmallWritesFinding>(ctx, {
      rule: 'small-writes',
      syscall: c.side.syscall,
      subject: smallIoSubject(c),
      metrics: smallIoMetrics(ctx, c),
      savingNs: c.savingNs,
    }),
  );
}

// The rule's registry entry.
export const SMALL_WRITES: FindingRule<SmallWritesFinding> = { id: 'small-writes', generic: false, run: smallWrites };
