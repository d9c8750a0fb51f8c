// Comparing N captures of the same workload side by side (load levels, as
// the seed's kernel-module experiment: baseline, medium, high): per syscall and
// per level its rate and latency, per level the time by category, the verdict
// and the findings; each level after the first is judged against the first by
// the diff engine (diff.ts), so "slower" means significant, not noise, and
// more calls is more work, said apart.
import type { CaptureAnalysis } from './capture.js';
import { diffCaptures, type DiffOptions, type Direction, type LatencyMetric, type SyscallDiff, type WorkChange } from './diff.js';
import type { Finding } from './findings.js';
import { latencyRow } from './latency-rows.js';
import { reportModel } from './report-model.js';
import type { VerdictKind } from './verdict.js';
import { categoryOfName, isWaiting, type Category } from '../model/categories.js';
import type { LoadLevel } from '../model/load.js';

// The syscalls shown when none are asked for: those with the most time at any level.
export const DEFAULT_COMPARE_SYSCALLS = 8;

// One level to compare: a capture and its name.
export interface CompareInput {
  readonly label: string;
  readonly analysis: CaptureAnalysis;
}

// What to compare.
export interface CompareOptions {
  // these syscalls, in this order; null: the top `top` by time at any level
  readonly syscalls: readonly string[] | null;
  readonly top: number;
  // the significance rules of each level against the first
  readonly diff: Partial<DiffOptions>;
}

// A level as a whole.
export interface LevelSummary {
  readonly label: string;
  readonly durationNs: number | null;
  readonly calls: number;
  readonly errors: number;
  // time in syscalls, waiting included
  readonly syscallNs: number;
  readonly verdict: VerdictKind;
  // shares of the threads' working time (not waiting), when known; cpu includes runnable time
  readonly cpuShare: number | null;
  readonly runqShare: number | null;
  readonly ioShare: number | null;
  readonly lockShare: number | null;
  // percentiles estimated from in-kernel histograms
  readonly estimated: boolean;
  // how loaded the machine was (sweep's captures); null when not recorded
  readonly load: LoadLevel | null;
}

// One syscall at one level.
export interface LevelStats {
  readonly calls: number;
  // null when the level's duration is unknown
  readonly callsPerSec: number | null;
  readonly errors: number;
  readonly totalNs: number;
  readonly avgNs: number;
  readonly p50Ns: number;
  readonly p90Ns: number;
  readonly p99Ns: number;
  readonly maxNs: number;
  // inside the call: off the CPU (blocked or runnable) and on it; null when the capture has no off-CPU times
  readonly offCpuNs: number | null;
  readonly onCpuNs: number | null;
  readonly estimated: boolean;
  readonly percentileError: number;
}

// A level against the first, for one syscall (the diff engine's judgement).
export interface LevelChange {
  // per call: significantly slower or faster, 'unchanged', or null when not judged (too few calls)
  readonly perCall: Direction | 'unchanged' | null;
  readonly regressed: readonly LatencyMetric[];
  readonly improved: readonly LatencyMetric[];
  // p-values of the tests behind p50 (Mann-Whitney U) and p99 (exceedance); null when not tested
  readonly p50PValue: number | null;
  readonly p99PValue: number | null;
  // more or less work (calls, or calls per second for windows of different lengths)
  readonly work: WorkChange['kind'];
}

// One syscall across the levels.
export interface CompareRow {
  readonly syscall: string;
  readonly category: Category;
  // a waiting syscall: its latency is idle time, never a cost
  readonly waiting: boolean;
  // by level; null where the level has no calls of it
  readonly levels: readonly (LevelStats | null)[];
  // by level; null for the first and where either side lacks it
  readonly changes: readonly (LevelChange | null)[];
}

// One category's time across the levels.
export interface CompareCategory {
  readonly category: Category;
  readonly label: string;
  readonly waiting: boolean;
  // by level: time, ns, and share of that level's non-waiting time (null for waiting or absent)
  readonly totalNs: readonly number[];
  readonly share: readonly (number | null)[];
  readonly bottleneck: readonly boolean[];
}

// A finding (rule and syscall) and the levels it was made at.
export interface CompareFinding {
  readonly rule: string;
  readonly syscall: string | null;
  // by level: the finding there, or null
  readonly levels: readonly (Finding | null)[];
  // present at some levels and not others
  readonly changes: boolean;
}

// The whole comparison.
export interface Comparison {
  readonly levels: readonly LevelSummary[];
  readonly rows: readonly CompareRow[];
  // syscalls asked for that no level has
  readonly missing: readonly string[];
  readonly categories: readonly CompareCategory[];
  readonly findings: readonly CompareFinding[];
  readonly diffOptions: DiffOptions;
}

// Compares the levels; the first is the reference of every judgement.
export function compareCaptures(inputs: readonly CompareInput[], options: CompareOptions): Comparison {
  if (inputs.length < 2) throw new RangeError('compare needs at least two captures');
  const models = inputs.map((i) => reportModel(i.analysis, null));
  const sides = inputs.map((input, k) => ({
    aggregate: input.analysis.aggregate,
    durationNs: input.analysis.durationNs,
    findings: models[k]!.findings,
    verdict: models[k]!.verdict.kind,
  }));
  const diffs = sides.map((side, k) => (k === 0 ? null : diffCaptures(sides[0]!, side, options.diff)));
  const diffOptions = diffs[1]!.options;
  const levels = inputs.map((input, k): LevelSummary => {
    const m = models[k]!;
    const working = m.verdict.working?.ns ?? 0;
    const share = (p: { readonly ns: number } | null): number | null => (p === null || !(working > 0) ? null : Math.min(1, p.ns / working));
    return {
      label: input.label,
      durationNs: input.analysis.durationNs,
      calls: m.summary.calls,
      errors: m.summary.errors,
      syscallNs: m.summary.totalNs,
      verdict: m.verdict.kind,
      cpuShare: m.verdict.cpu === null ? null : share({ ns: m.verdict.cpu.ns + (m.verdict.runq?.ns ?? 0) }),
      runqShare: share(m.verdict.runq),
      ioShare: share(m.verdict.io),
      lockShare: share(m.verdict.lock),
      estimated: input.analysis.aggregate.syscalls.some((s) => s.count > 0 && !s.distribution.exact),
      load: input.analysis.meta.load ?? null,
    };
  });

  const present = new Set(inputs.flatMap((i) => i.analysis.aggregate.syscalls.filter((s) => s.count > 0).map((s) => s.name)));
  const names = options.syscalls === null ? topSyscalls(inputs, options.top, diffOptions.minCalls) : options.syscalls.filter((n) => present.has(n));
  const missing = options.syscalls === null ? [] : options.syscalls.filter((n) => !present.has(n));
  const rows = names.map((syscall): CompareRow => {
    const category = categoryOfName(syscall);
    return {
      syscall,
      category,
      waiting: isWaiting(category),
      levels: inputs.map((i) => levelStats(i.analysis, syscall)),
      changes: diffs.map((d) => (d === null ? null : levelChange(d.syscalls.find((s) => s.name === syscall) ?? null))),
    };
  });
  return { levels, rows, missing, categories: compareCategories(models), findings: compareFindings(models.map((m) => m.findings)), diffOptions };
}

// The syscalls with the most time at any level, at most `top`; those with
// enough calls to judge (minCalls at some level) first, the rest only to fill up.
function topSyscalls(inputs: readonly CompareInput[], top: number, minCalls: number): string[] {
  const most = new Map<string, { ns: number; calls: number }>();
  for (const i of inputs) {
    for (const s of i.analysis.aggregate.syscalls) {
      if (s.count === 0) continue;
      const m = most.get(s.name) ?? { ns: 0, calls: 0 };
      most.set(s.name, { ns: Math.max(m.ns, s.totalNs), calls: Math.max(m.calls, s.count) });
    }
  }
  const judged = (x: { calls: number }): number => (x.calls >= minCalls ? 0 : 1);
  return [...most]
    .sort((a, b) => judged(a[1]) - judged(b[1]) || b[1].ns - a[1].ns || (a[0] < b[0] ? -1 : 1))
    .slice(0, Math.max(0, top))
    .map(([n]) => n);
}

function levelStats(analysis: CaptureAnalysis, syscall: string): LevelStats | null {
  const s = analysis.aggregate.syscalls.find((x) => x.name === syscall);
  if (s === undefined || s.count === 0) return null;
  const r = latencyRow(s);
  const seconds = analysis.durationNs !== null && analysis.durationNs > 0 ? analysis.durationNs / 1e9 : null;
  const off = s.offCpuNs === null ? null : Math.min(s.offCpuNs, s.totalNs);
  return {
    calls: r.count,
    callsPerSec: seconds === null ? null : r.count / seconds,
    errors: r.errors,
    totalNs: r.totalNs,
    avgNs: r.avgNs!,
    p50Ns: r.p50Ns!,
    p90Ns: r.p90Ns!,
    p99Ns: r.p99Ns!,
    maxNs: r.maxNs!,
    offCpuNs: off,
    onCpuNs: off === null ? null : s.totalNs - off,
    estimated: r.estimated,
    percentileError: r.percentileError,
  };
}

function levelChange(d: SyscallDiff | null): LevelChange | null {
  if (d === null || d.status !== 'both') return null;
  const pOf = (metric: LatencyMetric): number | null => d.latency.find((m) => m.metric === metric)?.pValue ?? null;
  return {
    perCall: d.perCall,
    regressed: d.regressed,
    improved: d.improved,
    p50PValue: pOf('p50'),
    p99PValue: pOf('p99'),
    work: d.work.kind,
  };
}

function compareCategories(models: readonly ReturnType<typeof reportModel>[]): CompareCategory[] {
  const order: Category[] = [];
  for (const m of models) for (const c of m.categories) if (!order.includes(c.category)) order.push(c.category);
  return order.map((category) => {
    const rows = models.map((m) => m.categories.find((c) => c.category === category) ?? null);
    const some = rows.find((r) => r !== null)!;
    return {
      category,
      label: some.label,
      waiting: some.waiting,
      totalNs: rows.map((r) => r?.totalNs ?? 0),
      share: rows.map((r) => (r === null || r.waiting ? null : r.share)),
      bottleneck: rows.map((r) => r?.bottleneck ?? false),
    };
  });
}

function compareFindings(byLevel: readonly (readonly Finding[])[]): CompareFinding[] {
  const key = (f: Finding): string => `${f.rule}\u0000${f.syscall ?? ''}`;
  const keys: string[] = [];
  const first = new Map<string, Finding>();
  for (const findings of byLevel) {
    for (const f of findings) {
      if (!first.has(key(f))) {
        keys.push(key(f));
        first.set(key(f), f);
      }
    }
  }
  return keys.map((k) => {
    const f = first.get(k)!;
    const levels = byLevel.map((findings) => findings.find((x) => key(x) === k) ?? null);
    return { rule: f.rule, syscall: f.syscall, levels, changes: levels.some((l) => l === null) };
  });
}
