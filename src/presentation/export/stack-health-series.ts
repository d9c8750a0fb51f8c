// What happened to the slow calls (--stacks), as counters: slow calls, stacks
// taken, skipped by the rate limit, lost, and unwound fully / partly / not at
// all, summed over loader runs (each run's readings count from zero).
import type { Profile } from '../../core/model/profile.js';
import type { StackHealth } from '../../core/model/stacks.js';

// The counters, cumulative.
export interface StackHealthCounts {
  slowCalls: number;
  taken: number;
  rateLimited: number;
  lost: number;
  unwoundFull: number;
  unwoundPartial: number;
  unwoundNone: number;
}

const KEYS = ['slowCalls', 'taken', 'rateLimited', 'lost', 'unwoundFull', 'unwoundPartial', 'unwoundNone'] as const;

function readingOf(h: StackHealth): StackHealthCounts {
  return {
    slowCalls: h.slowCalls ?? 0,
    taken: h.taken,
    rateLimited: h.rateLimited ?? 0,
    lost: h.lost ?? 0,
    unwoundFull: h.unwoundFull,
    unwoundPartial: h.unwoundPartial,
    unwoundNone: h.unwoundNone,
  };
}

// The stack counters of an agent's snapshots.
export class StackHealthSeries {
  // a snapshot carried stacks (the loader takes them): the families are exported
  measured = false;
  readonly counts: StackHealthCounts = { slowCalls: 0, taken: 0, rateLimited: 0, lost: 0, unwoundFull: 0, unwoundPartial: 0, unwoundNone: 0 };
  private last: StackHealthCounts | null = null;

  // A new loader run: its readings start again from zero.
  newSession(): void {
    this.last = null;
  }

  // Takes one cumulative snapshot.
  update(profile: Pick<Profile, 'stacks'>): void {
    if (profile.stacks == null) return;
    this.measured = true;
    const now = readingOf(profile.stacks.health);
    for (const k of KEYS) this.counts[k] += Math.max(0, now[k] - (this.last?.[k] ?? 0));
    this.last = now;
  }
}
