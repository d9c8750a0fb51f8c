// Findings: small rules over the analysed capture (one module each in rules/),
// each returning data - the rule, what it is about (subject), this capture's
// numbers (metrics) and the time following its advice would save. Never words:
// the presentation side (render/findings/) turns a finding into its title, evidence, why
// and recommendation.
import type { Aggregate, SyscallAggregate } from './aggregate.js';
import { verdictInput, type CaptureAnalysis } from './capture.js';
import type { IoUringProfile } from '../model/io-uring.js';
import type { ListenPressure } from '../model/listen.js';
import { categoryTimes, withIoUring, type CategoryTime } from './category-times.js';
import type { CaptureFacts } from './facts/collector.js';
import { latencyRows, type LatencyRow } from './latency-rows.js';
import { findModes, type ModeAnalysis } from './modes.js';
import { capacityOf } from './verdict.js';
import type { StackRow } from './stacks.js';

// How much a finding matters: by its estimated saving as a share of the threads' time
// (their measured lifetimes; wall time x threads seen when not measured; wall time alone in a bare context).
export type Severity = 'critical' | 'warning' | 'info';

// A saving of at least this share of the capture's wall time is critical...
export const CRITICAL_SAVING_SHARE = 0.1;
// ...at least this share a warning; less is info. With no wall time, a finding with a saving is a warning.
export const WARNING_SAVING_SHARE = 0.02;

// A finding's numbers, by name. The name says the unit: ...Ns nanoseconds,
// ...Bytes bytes, ...Share a ratio (0..1), ...PerSec a rate per second, other
// names counts; null when unknown; a few yes/no facts (estimated) are booleans.
export type FindingMetrics = { readonly [name: string]: number | boolean | null };

// One finding; each rule module names its own subject and metrics (rules/*.ts).
export interface Finding<R extends string = string, S extends object = object, M extends FindingMetrics = FindingMetrics> {
  // which rule produced it (stable id, for JSON, tests and other tools)
  readonly rule: R;
  readonly severity: Severity;
  // the syscall it is about, when there is one
  readonly syscall: string | null;
  // other syscalls it is about too (memory churn: munmap and brk besides mmap); none when absent
  readonly alsoAbout?: readonly string[];
  // what it is about beyond the syscall: paths, fds, processes, the items it lists with their own numbers
  readonly subject: S;
  // this capture's numbers behind it
  readonly metrics: M;
  // estimated thread time saved by following the recommendation, ns (>= 0, at most the threads' time); each rule documents its estimate
  readonly savingNs: number;
  // savingNs / the threads' time (capacityNs, else the wall time): at most 1; null when both are unknown
  readonly savingShare: number | null;
  // the stack holding most of the syscall's slow time, when the capture has stacks (stacks.ts withTopStacks)
  readonly topStack?: StackRow;
}

// What a rule fills in; severity and savingShare follow from the saving.
export type FindingDraft<F extends Finding = Finding> = Omit<F, 'severity' | 'savingShare'>;

// What rules look at: computed once, shared.
export interface FindingContext {
  readonly aggregate: Aggregate;
  // syscalls with calls, by total time
  readonly rows: readonly LatencyRow[];
  readonly categories: readonly CategoryTime[];
  readonly durationNs: number | null;
  // the threads' time (verdict.ts capacityOf); null when unknown
  readonly capacityNs: number | null;
  // per-call facts; null for an aggregate-only capture (rules that need them stay quiet)
  readonly facts: CaptureFacts | null;
  // io_uring requests, when the capture carries them; else null
  readonly ioUring: IoUringProfile | null;
  // listen queue overflows and drops while the capture ran, when recorded; else null
  readonly listen: ListenPressure | null;
  // the aggregate of a syscall, when it has calls
  syscall(name: string): SyscallAggregate | undefined;
  // the modes of a syscall's latencies (memoized)
  modes(syscall: string): ModeAnalysis;
}

// A rule: its id, whether it is generic (its findings give way to a specific
// finding about the same syscall), and how it finds zero or more findings.
export interface FindingRule<F extends Finding = Finding> {
  readonly id: F['rule'];
  readonly generic: boolean;
  readonly run: (ctx: FindingContext) => F[];
}

// The findings a rule (or a union of rules) gives.
export type FindingOfRule<R extends FindingRule<Finding>> = ReturnType<R['run']>[number];

// The context of an aggregate (and the facts gathered with it, when there are).
export function findingContext(
  aggregate: Aggregate,
  durationNs: number | null,
  facts: CaptureFacts | null = null,
  capacityNs: number | null = null,
  workNs: number | null = capacityNs,
  ioUring: IoUringProfile | null = null,
  listen: ListenPressure | null = null,
): FindingContext {
  const bySyscall = new Map(aggregate.syscalls.filter((s) => s.count > 0).map((s) => [s.name, s]));
  const cache = new Map<string, ModeAnalysis>();
  return {
    aggregate,
    rows: latencyRows(aggregate),
    categories: categoryTimes(withIoUring(aggregate, ioUring), workNs),
    durationNs,
    capacityNs,
    facts,
    ioUring,
    listen,
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
export function finding<F extends Finding>(ctx: Pick<FindingContext, 'durationNs'> & Partial<Pick<FindingContext, 'capacityNs'>>, draft: FindingDraft<F>): F {
  const base = ctx.capacityNs != null && ctx.capacityNs > 0 ? ctx.capacityNs : ctx.durationNs !== null && ctx.durationNs > 0 ? ctx.durationNs : null;
  const raw = Math.max(0, Number.isFinite(draft.savingNs) ? draft.savingNs : 0);
  // a saving never exceeds the time of the threads it comes from
  const savingNs = base === null ? raw : Math.min(raw, base);
  const savingShare = base === null ? null : savingNs / base;
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
  return { ...draft, severity, savingNs, savingShare } as F;
}

// Every rule's findings, ranked by estimated saving (most first, rule order on
// ties); a generic rule's finding about a syscall a specific finding covers is left out.
export function runRules<R extends FindingRule<Finding>>(ctx: FindingContext, rules: readonly R[]): FindingOfRule<R>[] {
  const all = rules.flatMap((rule) => rule.run(ctx).map((f) => ({ f: f as FindingOfRule<R>, generic: rule.generic })));
  const covered = new Set(all.filter(({ f, generic }) => !generic && f.syscall !== null).flatMap(({ f }) => [f.syscall, ...(f.alsoAbout ?? [])]));
  return all
    .map(({ f, generic }, i) => ({ f, generic, i }))
    .filter(({ f, generic }) => !(generic && f.syscall !== null && covered.has(f.syscall)))
    .sort((a, b) => b.f.savingNs - a.f.savingNs || a.i - b.i)
    .map(({ f }) => f);
}

// The findings of an analysed capture with every rule (FINDING_RULES is passed
// in by rules/index.ts's findingsOf, which avoids an import cycle here).
export function findingsWith<R extends FindingRule<Finding>>(analysis: CaptureAnalysis, rules: readonly R[]): FindingOfRule<R>[] {
  const capacityNs = capacityOf(analysis.aggregate, verdictInput(analysis))?.ns ?? null;
  return runRules(findingContext(analysis.aggregate, analysis.durationNs, analysis.facts, capacityNs, capacityNs, analysis.ioUring ?? null, analysis.meta.listen ?? null), rules);
}
