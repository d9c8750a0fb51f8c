// Rule io-uring-small-submissions: many io_uring_enter calls that each submit
// few requests, while the program does not wait for each (so it is not
// io-uring-depth-one): batching SQEs into fewer io_uring_enter calls saves
// kernel round trips.
//
// Fires when at least SMALL_MIN_ENTERS io_uring_enter calls submitted fewer
// than SMALL_PER_ENTER requests each on average, but more than
// DEPTH_ONE_PER_ENTER (one per call is io-uring-depth-one).
//
// Saving: submitting SMALL_BATCH requests per io_uring_enter leaves
// requests / SMALL_BATCH calls; each call saved is one kernel round trip
// (measure.ts roundTripNs): (enters - requests / B) x round trip, when positive.
import { finding, type Finding, type FindingContext, type FindingRule } from '../findings.js';
import { DEPTH_ONE_PER_ENTER } from './io-uring-depth-one.js';
import { ioUringUse } from './io-uring-measure.js';
import { roundTripNs, wallShare } from './measure.js';

// At least this many io_uring_enter calls...
export const SMALL_MIN_ENTERS = 100;
// ...with fewer requests each than this on average.
export const SMALL_PER_ENTER = 4;
// The requests per io_uring_enter the saving assumes.
export const SMALL_BATCH = 16;

// An io-uring-small-submissions finding.
export type IoUringSmallSubmissionsFinding = Finding<
  'io-uring-small-submissions',
  Record<string, never>,
  { readonly requests: number; readonly enters: number; readonly entersNs: number; readonly perEnter: number; readonly wallShare: number | null; readonly batch: number }
>;

// Few requests per io_uring_enter.
export function ioUringSmallSubmissions(ctx: FindingContext): IoUringSmallSubmissionsFinding[] {
  const use = ioUringUse(ctx);
  if (use === null || use.enters < SMALL_MIN_ENTERS) return [];
  const perEnter = use.requests / use.enters;
  if (perEnter >= SMALL_PER_ENTER || perEnter <= DEPTH_ONE_PER_ENTER) return [];
  const saved = Math.max(0, use.enters - use.requests / SMALL_BATCH);
  return [
    finding<IoUringSmallSubmissionsFinding>(ctx, {
      rule: 'io-uring-small-submissions',
      syscall: 'io_uring_enter',
      subject: {},
      metrics: { requests: use.requests, enters: use.enters, entersNs: use.entersNs, perEnter, wallShare: wallShare(ctx, use.entersNs), batch: SMALL_BATCH },
      savingNs: saved * (roundTripNs(ctx) ?? 0),
    }),
  ];
}

// The rule's registry entry.
export const IO_URING_SMALL_SUBMISSIONS: FindingRule<IoUringSmallSubmissionsFinding> = {
  id: 'io-uring-small-submissions',
  generic: false,
  run: ioUringSmallSubmissions,
};
