// The findings of one interval (the recommendation rules over its calls),
// in words, as the histogram panel shows them.
import { aggregateProfile } from '../../../core/analysis/aggregate-profile.js';
import { findingContext, runRules } from '../../../core/analysis/findings.js';
import { FINDING_RULES } from '../../../core/analysis/rules/index.js';
import { emptyHealth, type Profile, type SyscallStats } from '../../../core/model/profile.js';
import { categoryOfName } from '../../../core/model/categories.js';
import { findingText, type FindingText } from '../../render/findings/index.js';
import type { IntervalStats, LiveFrame } from './interval.js';
import { hostArch } from '../../../core/model/syscall-names.js';

// A finding as the panel shows it.
export interface ShownFinding {
  readonly severity: 'critical' | 'warning' | 'info';
  readonly syscall: string | null;
  // the whole finding in words
  readonly text: FindingText;
}

// Which findings a row of the table wants: about one syscall, the syscalls of
// one category, or one process's calls; null: every finding of the interval.
export type FindingScope =
  | { readonly kind: 'syscall'; readonly syscall: string }
  | { readonly kind: 'category'; readonly category: string }
  | { readonly kind: 'process'; readonly key: string }
  | null;

// The interval's findings for a scope, most severe first. A process's findings
// come from its own calls (per-process histograms are coarser: within 25%).
export function currentFindings(frame: LiveFrame, scope: FindingScope): ShownFinding[] {
  const stats = scope?.kind === 'process' ? frame.processSyscalls(scope.key) : frame.intervalSyscalls;
  if (stats.length === 0) return [];
  const aggregate = aggregateProfile(intervalProfile(frame, stats));
  const found = runRules(findingContext(aggregate, frame.intervalNs > 0 ? frame.intervalNs : null), FINDING_RULES);
  const shown = found.map((f): ShownFinding => ({ severity: f.severity, syscall: f.syscall, text: findingText(f) }));
  const wanted = (f: ShownFinding): boolean => {
    if (scope === null || scope.kind === 'process' || f.syscall === null) return true;
    return scope.kind === 'syscall' ? f.syscall === scope.syscall : categoryOfName(f.syscall) === scope.category;
  };
  const rank = { critical: 0, warning: 1, info: 2 } as const;
  return shown.filter(wanted).sort((a, b) => rank[a.severity] - rank[b.severity]);
}

// The interval (or some of its syscalls) as a Profile of its own (what the analysis functions take).
export function intervalProfile(frame: LiveFrame, stats: readonly IntervalStats[] = frame.intervalSyscalls): Profile {
  const syscalls = stats.map((s): SyscallStats => {
    const { histogram, maxNs } = s.detail();
    return { name: s.name, nr: null, count: s.count, errors: s.errors, totalNs: s.totalNs, maxNs, histogram };
  });
  return {
    backend: frame.backend,
    arch: hostArch(),
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
