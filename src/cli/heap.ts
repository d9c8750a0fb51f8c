// The long-running commands' heap policy (agent, live, trace --output): grow the heap by a
// fifth past what survived the last full collection, instead of V8's default
// of up to four times. Each snapshot makes per-process objects that live one
// interval (long enough to be promoted) and then die, so under process churn
// the default lets the old space fill with 100 MB of garbage before a full
// collection and keeps that much resident; with this the live heap (about
// 25 MB under 400 new processes a second) is collected at ~30 MB, more often,
// for a few ms each time. Set at run time: V8 reads it at every collection.
import { setFlagsFromString } from 'node:v8';

// Percent the old space may grow past the live heap before a full collection.
export const HEAP_GROWING_PERCENT = 20;

// Applies the policy to this process (idempotent).
export function keepHeapSmall(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
