// Cumulative syscall statistics in the exported buckets, and their differences.
import type { SyscallStats } from '../../core/model/profile.js';
import { BOUNDS_NS, foldHistogram } from './bounds.js';

// Counts of one syscall in exported form. The call count is the sum of the
// buckets, so a histogram's +Inf bucket and _count always agree.
export interface Folded {
  readonly buckets: number[];
  errors: number;
  sumNs: number;
  // off-CPU and runnable-wait time; null while the backend has not said
  offCpuNs: number | null;
  runqNs: number | null;
}

// Nothing yet.
export function emptyFolded(): Folded {
  return { buckets: new Array<number>(BOUNDS_NS.length + 1).fill(0), errors: 0, sumNs: 0, offCpuNs: null, runqNs: null };
}

// The exported form of a SyscallStats.
export function foldStats(s: SyscallStats): Folded {
  return { buckets: foldHistogram(s.histogram), errors: s.errors, sumNs: s.totalNs, offCpuNs: s.offCpuNs ?? null, runqNs: s.runqNs ?? null };
}

// Calls counted (the sum of the buckets).
export function callsOf(f: Folded): number {
  let n = 0;
  for (const c of f.buckets) n += c;
  return n;
}

// What happened between two cumulative readings of one source: `now - before`,
// or all of `now` when the source restarted (its count went down: a new
// process with a reused pid, a new loader session).
export function deltaOf(now: Folded, before: Folded | undefined): Folded {
  if (before === undefined || callsOf(now) < callsOf(before) || now.errors < before.errors || now.sumNs < before.sumNs) return now;
  return {
    buckets: now.buckets.map((c, i) => Math.max(0, c - before.buckets[i]!)),
    errors: now.errors - before.errors,
    sumNs: now.sumNs - before.sumNs,
    offCpuNs: now.offCpuNs === null ? null : Math.max(0, now.offCpuNs - (before.offCpuNs ?? 0)),
    runqNs: now.runqNs === null ? null : Math.max(0, now.runqNs - (before.runqNs ?? 0)),
  };
}

// Adds `d` into `into` (sign allowed: balances go negative and recover).
export function addInto(into: Folded, d: Folded, sign: 1 | -1 = 1): void {
  for (let i = 0; i < d.buckets.length; i++) into.buckets[i]! += sign * d.buckets[i]!;
  into.errors += sign * d.errors;
  into.sumNs += sign * d.sumNs;
  if (d.offCpuNs !== null) into.offCpuNs = (into.offCpuNs ?? 0) + sign * d.offCpuNs;
  if (d.runqNs !== null) into.runqNs = (into.runqNs ?? 0) + sign * d.runqNs;
}

// Takes the positive part of a signed balance out of it (what can be emitted
// without ever making a counter go down); the negative rest stays for later.
export function takePositive(balance: Folded): Folded {
  const pos = (v: number): number => (v > 0 ? v : 0);
  const out: Folded = {
    buckets: balance.buckets.map(pos),
    errors: pos(balance.errors),
    sumNs: pos(balance.sumNs),
    offCpuNs: balance.offCpuNs === null ? null : pos(balance.offCpuNs),
    runqNs: balance.runqNs === null ? null : pos(balance.runqNs),
  };
  addInto(balance, out, -1);
  return out;
}

// Whether a delta carries anything.
export function isEmpty(f: Folded): boolean {
  return callsOf(f) === 0 && f.errors === 0 && f.sumNs === 0 && !(f.offCpuNs ?? 0) && !(f.runqNs ?? 0);
}
