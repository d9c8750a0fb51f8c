// Findings: small rules over the analysed capture (one module each in rules/),
// each returning data - what it saw (evidence with this capture's numbers), why
// it matters, what to do, and the time it would save - that renderers lay out.
// The wording lives here because a finding is its text; it uses the same units
// as the tables (render/units), the one place analysis borrows from render.
import type { Aggregate, SyscallAggregate } from './aggregate.js';
import type { CaptureAnalysis } from './capture.js';
import { categoryTimes, type CategoryTime } from './category-times.js';
import type { CaptureFacts } from './facts/collector.js';
import { latencyRows, type LatencyRow } from './latency-rows.js';
import { findModes, type ModeAnalysis } from './modes.js';

// How much a finding matters: by its estimated saving as a share of wall time.
export type Severity = 'critical' | 'warning' | 'info';

// A saving of at least this share of the capture's wall time is critical...
export const CRITICAL_SAVING_SHARE = 0.1;
// ...at least this share a warning; less is info. With no wall time, a finding with a saving is a warning.
export const WARNING_SAVING_SHARE = 0.02;

// One finding.
export interface Finding {
  // which rule produced it (stable id, for JSON, tests and other tools)
  readonly rule: string;
  readonly severity: Severity;
  // the syscall it is about, when there is one
  readonly syscall: string | null;
  // other syscalls it is about too (memory churn: munmap and brk besides mmap); none when absent
  readonly alsoAbout?: readonly string[];
  readonly title: string;
  // what this capture shows, with its numbers
  readonly evidence: readonly string[];
  // why it matters (one sentence)
  readonly why: string;
  // what to do, most useful first
  readonly recommendation: readonly string[];
  // estimated wall time saved by following the recommendation, ns (>= 0); each rule documents its estimate
  readonly savingNs: number;
  // savingNs / the capture's wall time; null when the wall time is unknown
  readonly savingShare: number | null;
}

// What a rule fills in; severity and savingShare follow from the saving.
export type FindingDraft = Omit<Finding, 'severity' | 'savingShare'>;

// What rules look at: computed once, shared.
export interface FindingContext {
  readonly aggregate: Aggregate;
  // syscalls with calls, by total time
  readonly rows: readonly LatencyRow[];
  readonly categories: readonly CategoryTime[];
  readonly durationNs: number | null;
  // per-call facts; null for an aggregate-only capture (rules that need them stay quiet)
  readonly facts: CaptureFacts | null;
  // the aggregate of a syscall, when it has calls
  syscall(name: string): SyscallAggregate | undefined;
  // the modes of a syscall's latencies (memoized)
  modes(syscall: string): ModeAnalysis;
}

// A rule: zero or more findings from the context.
export type FindingRule = (ctx: FindingContext) => Finding[];

// The context of an aggregate (and the facts gathered with it, when there are).
export function findingContext(aggregate: Aggregate, durationNs: number | null, facts: CaptureFacts | null = null): FindingContext {
  const bySyscall = new Map(aggregate.syscalls.filter((s) => s.count > 0).map((s) => [s.name, s]));
  const cache = new Map<string, ModeAnalysis>();
  return {
    aggregate,
    rows: latencyRows(aggregate),
    categories: categoryTimes(aggregate),
    durationNs,
    facts,
    syscall: (name) => bySyscall.get(name),
    modes(syscall) {
      let m = cache.get(syscall);
      if (m === undefined) {
        const s = bySyscall.get(syscall);
        m = s === undefined ? { modes: [], multimodal: false } : findModes(s.distribution);
        cache.set(syscall, m);
      }
      return m;
    },
  };
}

// A finding with its severity and saving share worked out from its saving.
export function finding(ctx: Pick<FindingContext, 'durationNs'>, draft: FindingDraft): Finding {
  const savingNs = Math.max(0, Number.isFinite(draft.savingNs) ? draft.savingNs : 0);
  const savingShare = ctx.durationNs !== null && ctx.durationNs > 0 ? savingNs / ctx.durationNs : null;
  const severity: Severity =
    savingShare === null
      ? savingNs > 0
        ? 'warning'
        : 'info'
      : savingShare >= CRITICAL_SAVING_SHARE
        ? 'critical'
        : savingShare >= WARNING_SAVING_SHARE
          ? 'warning'
          : 'info';
  return { ...draft, severity, savingNs, savingShare };
}

// Rules whose findings are dropped when a specific rule already has a finding about the same syscall.
export const GENERIC_RULES: ReadonlySet<string> = new Set(['dominant-syscall', 'multimodal-syscall', 'failing-syscall']);

// Every rule's findings, ranked by estimated saving (most first, rule order on
// ties); a generic finding about a syscall a specific finding covers is left out.
export function runRules(ctx: FindingContext, rules: readonly FindingRule[]): Finding[] {
  const all = rules.flatMap((rule) => rule(ctx));
  const covered = new Set(all.filter((f) => !GENERIC_RULES.has(f.rule) && f.syscall !== null).flatMap((f) => [f.syscall, ...(f.alsoAbout ?? [])]));
  return all
    .map((f, i) => ({ f, i }))
    .filter(({ f }) => !(GENERIC_RULES.has(f.rule) && f.syscall !== null && covered.has(f.syscall)))
    .sort((a, b) => b.f.savingNs - a.f.savingNs || a.i - b.i)
    .map(({ f }) => f);
}

// The findings of an analysed capture with every rule (FINDING_RULES is passed
// in by rules/index.ts's findingsOf, which avoids an import cycle here).
export function findingsWith(analysis: CaptureAnalysis, rules: readonly FindingRule[]): Finding[] {
  return runRules(findingContext(analysis.aggregate, analysis.durationNs, analysis.facts), rules);
}
