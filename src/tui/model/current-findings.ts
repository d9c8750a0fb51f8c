// The findings of one interval (the recommendation rules over its calls),
// reduced to what the histogram panel shows.
import { aggregateProfile } from '../../analysis/aggregate-profile.js';
import { findingContext, runRules } from '../../analysis/findings.js';
import { FINDING_RULES } from '../../analysis/rules/index.js';
import { emptyHealth, type Profile, type SyscallStats } from '../../model/profile.js';
import type { LiveFrame } from './interval.js';

// A finding as the panel shows it.
export interface ShownFinding {
  readonly severity: 'critical' | 'warning' | 'info';
  readonly syscall: string | null;
  readonly title: string;
  // the first recommendation, '' when there is none
  readonly recommendation: string;
}

// The interval's findings about `syscall` (every finding when null), most severe first.
export function currentFindings(frame: LiveFrame, syscall: string | null): ShownFinding[] {
  if (frame.intervalSyscalls.length === 0) return [];
  const aggregate = aggregateProfile(intervalProfile(frame));
  const found = runRules(findingContext(aggregate, frame.intervalNs > 0 ? frame.intervalNs : null), FINDING_RULES);
  const shown = found.map((f): ShownFinding => ({ severity: f.severity, syscall: f.syscall, title: f.title, recommendation: f.recommendation[0] ?? '' }));
  const rank = { critical: 0, warning: 1, info: 2 } as const;
  return shown.filter((f) => syscall === null || f.syscall === syscall || f.syscall === null).sort((a, b) => rank[a.severity] - rank[b.severity]);
}

// The interval as a Profile of its own (what the analysis functions take).
export function intervalProfile(frame: LiveFrame): Profile {
  const syscalls = frame.intervalSyscalls.map((s): SyscallStats => {
    const { histogram, maxNs } = s.detail();
    return { name: s.name, nr: null, count: s.count, errors: s.errors, totalNs: s.totalNs, maxNs, histogram };
  });
  return {
    backend: frame.backend,
    arch: 'x86_64',
    target: frame.target,
    startedAt: new Date(0),
    durationNs: frame.intervalNs,
    final: false,
    syscalls,
    processes: [],
    inFlight: [],
    health: emptyHealth(),
    cost: { enabled: false, programs: [], windowNs: null, memoryBytes: null },
    exit: null,
    stopReason: null,
  };
}
