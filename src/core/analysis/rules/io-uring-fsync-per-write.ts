// Rule io-uring-fsync-per-write: an fsync through io_uring for every write or
// two: each fsync waits for the device (and is always punted to an io-wq
// worker), so they dominate; link a batch of writes to one fsync
// (IOSQE_IO_LINK) or sync less often.
//
// Fires when at least FSYNC_MIN_REQUESTS fsync requests were made with at most
// FSYNC_WRITES_PER_SYNC write requests (write, writev, write_fixed...) per fsync.
//
// Saving: one fsync per SYNC_BATCH (as sync-dominant) leaves 1/B of the fsync
// time: fsyncNs x (1 - 1/B), B = min(SYNC_BATCH, fsyncs).
import { finding, type Finding, type FindingContext, type FindingRule } from '../findings.js';
import { ioUringUse, opsOf } from './io-uring-measure.js';
import { wallShare } from './measure.js';
import { SYNC_BATCH } from './sync-dominant.js';

// At least this many fsync requests...
export const FSYNC_MIN_REQUESTS = 10;
// ...with at most this many writes each.
export const FSYNC_WRITES_PER_SYNC = 2;

const WRITE_OPS = ['write', 'writev', 'write_fixed', 'writev_fixed'];

// An io-uring-fsync-per-write finding.
export type IoUringFsyncPerWriteFinding = Finding<
  'io-uring-fsync-per-write',
  Record<string, never>,
  { readonly fsyncs: number; readonly writes: number; readonly fsyncNs: number; readonly wallShare: number | null; readonly batch: number }
>;

// An fsync request per write request or two.
export function ioUringFsyncPerWrite(ctx: FindingContext): IoUringFsyncPerWriteFinding[] {
  const use = ioUringUse(ctx);
  if (use === null) return [];
  const syncs = opsOf(use, ['fsync']);
  const writes = opsOf(use, WRITE_OPS);
  if (syncs.count < FSYNC_MIN_REQUESTS || writes.count === 0 || writes.count > FSYNC_WRITES_PER_SYNC * syncs.count) return [];
  const batch = Math.min(SYNC_BATCH, syncs.count);
  return [
    finding<IoUringFsyncPerWriteFinding>(ctx, {
      rule: 'io-uring-fsync-per-write',
      syscall: null,
      subject: {},
      metrics: { fsyncs: syncs.count, writes: writes.count, fsyncNs: syncs.totalNs, wallShare: wallShare(ctx, syncs.totalNs), batch },
      savingNs: syncs.totalNs * (1 - 1 / batch),
    }),
  ];
}

// The rule's registry entry.
export const IO_URING_FSYNC_PER_WRITE: FindingRule<IoUringFsyncPerWriteFinding> = { id: 'io-uring-fsync-per-write', generic: false, run: ioUringFsyncPerWrite };
