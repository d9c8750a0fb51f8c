// Rule io-uring-depth-one: io_uring used synchronously - one request
// submitted, then waited for, then the next (queue depth ~1): every request
// pays an io_uring_enter and a wait, and the device never sees two at once.
//
// Fires when at least DEPTH_MIN_REQUESTS requests went through at most
// DEPTH_ONE_PER_ENTER requests per io_uring_enter (requests that complete
// inline need no wait: the waits are evidence, not a condition). Not with
// SQPOLL (no io_uring_enter per request).
//
// Saving: keeping DEPTH_BATCH requests in flight, submitted and reaped
// together, leaves requests / DEPTH_BATCH io_uring_enter calls; each call
// saved is one kernel round trip (measure.ts roundTripNs). Overlapping the
// requests themselves may save more; not counted (it depends on the device).
import { finding, type Finding, type FindingContext, type FindingRule } from '../findings.js';
import { ioUringUse } from './io-uring-measure.js';
import { roundTripNs, wallShare } from './measure.js';

// At least this many requests.
export const DEPTH_MIN_REQUESTS = 50;
// At most this many requests per io_uring_enter.
export const DEPTH_ONE_PER_ENTER = 1.5;
// The queue depth the saving assumes.
export const DEPTH_BATCH = 8;

// An io-uring-depth-one finding.
export type IoUringDepthOneFinding = Finding<
  'io-uring-depth-one',
  Record<string, never>,
  { readonly requests: number; readonly enters: number; readonly waits: number; readonly entersNs: number; readonly perEnter: number; readonly wallShare: number | null; readonly batch: number }
>;

// One request submitted and waited for at a time.
export function ioUringDepthOne(ctx: FindingContext): IoUringDepthOneFinding[] {
  const use = ioUringUse(ctx);
  if (use === null || use.requests < DEPTH_MIN_REQUESTS || use.enters === 0) return [];
  const perEnter = use.requests / use.enters;
  if (perEnter > DEPTH_ONE_PER_ENTER) return [];
  const trip = roundTripNs(ctx) ?? 0;
  return [
    finding<IoUringDepthOneFinding>(ctx, {
      rule: 'io-uring-depth-one',
      syscall: 'io_uring_enter',
      subject: {},
      metrics: { requests: use.requests, enters: use.enters, waits: use.waits, entersNs: use.entersNs, perEnter, wallShare: wallShare(ctx, use.entersNs), batch: DEPTH_BATCH },
      savingNs: Math.max(0, use.enters - use.requests / DEPTH_BATCH) * trip,
    }),
  ];
}

// The rule's registry entry.
export const IO_URING_DEPTH_ONE: FindingRule<IoUringDepthOneFinding> = { id: 'io-uring-depth-one', generic: false, run: ioUringDepthOne };
