// What the offline commands know about a capture once it is read: per syscall,
// per process and per thread. Built either from per-call events (exact, see
// aggregate-events.ts) or from an aggregate capture's Profile (estimated, see
// aggregate-profile.ts); everything downstream reads this one shape.
import type { Category } from '../model/categories.js';
import type { LatencyDistribution } from './distribution.js';

// How many failed calls returned one errno.
export interface ErrnoCount {
  readonly errno: string;
  readonly count: number;
}

// Calls of a syscall and their time within one category.
export interface CategoryPart {
  readonly category: Category;
  readonly calls: number;
  readonly totalNs: number;
  // of totalNs, off the CPU (blocked or runnable) and runnable-waiting for a CPU:
  // sums over the calls where the capture says; null when no call says
  readonly offCpuNs: number | null;
  readonly runqNs: number | null;
}

// Calls counted between fixed edges: counts[0] below edges[0], counts[k] in
// [edges[k-1], edges[k]), the last one at or above the last edge.
export interface EdgeCounts {
  readonly edgesNs: readonly number[];
  readonly counts: readonly number[];
}

// Everything known about one syscall.
export interface SyscallAggregate {
  readonly name: string;
  readonly count: number;
  readonly errors: number;
  // failed calls by errno, most frequent first; empty when the capture does not say
  readonly errnos: readonly ErrnoCount[];
  readonly totalNs: number;
  // null when there are no calls; from an aggregate capture minNs is the
  // lower bound of the lowest non-empty histogram bucket
  readonly minNs: number | null;
  readonly maxNs: number | null;
  readonly distribution: LatencyDistribution;
  // exact counts between the edges asked for; null for an aggregate capture
  readonly edgeCounts: EdgeCounts | null;
  // its calls by category (several only for reads and writes on different kinds
  // of fd, or writes on O_SYNC fds, which are sync)
  readonly categories: readonly CategoryPart[];
  // of totalNs, off the CPU (blocked or runnable) and runnable-waiting for a CPU:
  // sums over the calls where the capture says; null when no call says
  readonly offCpuNs: number | null;
  readonly runqNs: number | null;
  // a sampled capture (--sample): the calls that were timed; count and errors
  // are exact, totalNs (timed time x the period), min, max and the distribution
  // are estimates from these. Absent: every call was timed
  readonly timedCalls?: number;
}

// Totals of one process.
export interface ProcessAggregate {
  readonly pid: number;
  // command name of its main thread as last seen; '' when unknown
  readonly comm: string;
  readonly calls: number;
  readonly errors: number;
  readonly totalNs: number;
}

// Totals of one thread.
export interface ThreadAggregate extends ProcessAggregate {
  readonly tid: number;
  // from its first call's start to its last call's end: a lower bound of its lifetime while traced (absent when unknown)
  readonly spanNs?: number;
}

// A whole capture, aggregated.
export interface Aggregate {
  // 'events': exact, from per-call records; 'profile': estimated, from in-kernel histograms
  readonly source: 'events' | 'profile';
  // by total time, then count (both descending), then name
  readonly syscalls: readonly SyscallAggregate[];
  // by total time, then calls (both descending), then pid
  readonly processes: readonly ProcessAggregate[];
  // same order as processes; empty for an aggregate capture
  readonly threads: readonly ThreadAggregate[];
  // first call's start to last call's end (events), or the profile's duration; null when unknown
  readonly spanNs: number | null;
}

// The order of syscall aggregates.
export function compareSyscalls(a: SyscallAggregate, b: SyscallAggregate): number {
  return b.totalNs - a.totalNs || b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

// The order of process and thread aggregates.
export function compareProcesses<T extends ProcessAggregate & { readonly tid?: number }>(a: T, b: T): number {
  return b.totalNs - a.totalNs || b.calls - a.calls || a.pid - b.pid || (a.tid ?? 0) - (b.tid ?? 0);
}

// The total calls of an aggregate.
export function totalCalls(aggregate: Aggregate): number {
  return aggregate.syscalls.reduce((n, s) => n + s.count, 0);
}
