// Cumulative syscall statistics in the exported buckets, and their differences.
import type { SyscallStats } from '../../core/model/profile.js';
import { BOUNDS_NS, foldHistogram } from './bounds.js';

// Counts of one syscall in exported form. `calls` is every call, exact; the
// buckets and the times are those of the timed calls (all of them unless the
// capture was sampled: then about 1 in its period), so a histogram's +Inf
// bucket and _count always agree, and _sum / _count is the mean latency.
export interface Folded {
  readonly buckets: number[];
  calls: number;
  errors: number;
  sumNs: number;
  // off-CPU and runnable-wait time; null while the backend has not said
  offCpuNs: number | null;
  runqNs: number | null;
}

// Nothing yet.
export function emptyFolded(): Folded {
  return { buckets: new Array<number>(BOUNDS_NS.length + 1).fill(0), calls: 0, errors: 0, sumNs: 0, offCpuNs: null, runqNs: null };
}

// The exported form of a SyscallStats; samplePeriod > 1: the model's estimated
// times (timed x period) are taken back to the timed calls' own.
export function foldStats(s: SyscallStats, samplePeriod = 1): Folded {
  const timed = (ns: number): number => (samplePeriod > 1 ? Math.round(ns / samplePeriod) : ns);
  const off = s.offCpuNs === undefined ? null : timed(s.offCpuNs);
  const runq = s.runqNs === undefined ? null : timed(s.runqNs);
  return { buckets: foldHistogram(s.histogram), calls: s.count, errors: s.errors, sumNs: timed(s.totalNs), offCpuNs: off, runqNs: runq };
}

// Calls counted, every one (exact also when sampled).
export function callsOf(f: Folded): number {
  return f.calls;
}

// Calls in the buckets: the timed ones (the histogram's _count).
export function timedOf(f: Folded): number {
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
    calls: now.calls - before.calls,
    errors: now.errors - before.errors,
    sumNs: now.sumNs - before.sumNs,
    offCpuNs: now.offCpuNs === null ? null : Math.max(0, now.offCpuNs - (before.offCpuNs ?? 0)),
    runqNs: now.runqNs === null ? null : Math.max(0, now.runqNs - (before.runqNs ?? 0)),
  };
}

// Adds `d` into `into` (sign allowed: balances go negative and recover).
export function addInto(into: Folded, d: Folded, sign: 1 | -1 = 1): void {
  for (let i = 0; i < d.buckets.length; i++) into.buckets[i]! += sign * d.buckets[i]!;
  into.calls += sign * d.calls;
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
    calls: pos(balance.calls),
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
  return callsOf(f) === 0 && timedOf(f) === 0 && f.errors === 0 && f.sumNs === 0 && !(f.offCpuNs ?? 0) && !(f.runqNs ?? 0);
}
