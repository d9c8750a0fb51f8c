// An aggregate capture (in-kernel histograms, no per-call events) in the shape
// the offline commands read. Percentiles are estimates (the model's
// LatencyHistogram.percentile); errors have no errno breakdown; there are no
// per-thread totals.
import { categoryOfName } from '../model/categories.js';
import { bucketBounds } from '../model/histogram-layout.js';
import type { Profile, SyscallStats } from '../model/profile.js';
import { compareProcesses, compareSyscalls, type Aggregate, type ProcessAggregate, type SyscallAggregate } from './aggregate.js';
import { EMPTY_DISTRIBUTION, histogramDistribution } from './distribution.js';

// The aggregate of a Profile.
export function aggregateProfile(profile: Profile): Aggregate {
  return {
    source: 'profile',
    syscalls: profile.syscalls.map((s) => syscallOf(s, profile.samplePeriod ?? 1)).sort(compareSyscalls),
    processes: profile.processes
      .map(
        (p): ProcessAggregate => ({
          pid: p.tgid,
          comm: p.comm,
          calls: p.syscalls.reduce((n, s) => n + s.count, 0),
          errors: p.syscalls.reduce((n, s) => n + s.errors, 0),
          totalNs: p.syscalls.reduce((n, s) => n + s.totalNs, 0),
        }),
      )
      .sort(compareProcesses),
    threads: [],
    spanNs: profile.durationNs > 0 ? profile.durationNs : null,
  };
}

function syscallOf(s: SyscallStats, samplePeriod: number): SyscallAggregate {
  // sampled and nothing timed: counted, but no latency to show
  const empty = s.count === 0 || s.timedCalls === 0;
  const first = s.histogram.buckets()[0];
  return {
    name: s.name,
    count: s.count,
    errors: s.errors,
    errnos: [],
    totalNs: s.totalNs,
    minNs: empty ? null : first === undefined ? 0 : Math.min(bucketBounds(s.histogram.layout, first[0]).lowNs, s.maxNs),
    maxNs: empty ? null : s.maxNs,
    distribution: empty ? EMPTY_DISTRIBUTION : histogramDistribution(s.histogram, s.maxNs, samplePeriod),
    edgeCounts: null,
    categories: s.count === 0 ? [] : [{ category: categoryOfName(s.name), calls: s.count, totalNs: s.totalNs, offCpuNs: s.offCpuNs ?? null, runqNs: s.runqNs ?? null }],
    offCpuNs: s.offCpuNs ?? null,
    runqNs: s.runqNs ?? null,
    ...(s.timedCalls === undefined ? {} : { timedCalls: s.timedCalls }),
  };
}
