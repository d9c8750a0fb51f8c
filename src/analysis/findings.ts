// Critical findings: small rules over the analysed capture, each returning
// data ({title, evidence, recommendation}) that the renderers lay out. The
// wording lives here because a finding is its text; it uses the same units as
// the tables (render/units), the one place analysis borrows from render.
import type { Aggregate } from './aggregate.js';
import { categoryTimes, type CategoryTime } from './category-times.js';
import { latencyRows, type LatencyRow } from './latency-rows.js';
import { findModes, type ModeAnalysis } from './modes.js';

// One finding.
export interface Finding {
  // which rule produced it (stable id, for JSON and tests)
  readonly rule: string;
  // the syscall it is about, when there is one
  readonly syscall: string | null;
  readonly title: string;
  readonly evidence: readonly string[];
  readonly recommendation: readonly string[];
}

// What rules look at: computed once, shared.
export interface FindingContext {
  // syscalls with calls, by total time
  readonly rows: readonly LatencyRow[];
  readonly categories: readonly CategoryTime[];
  readonly durationNs: number | null;
  // the modes of a syscall's latencies (memoized)
  modes(syscall: string): ModeAnalysis;
}

// A rule: zero or more findings from the context.
export type FindingRule = (ctx: FindingContext) => Finding[];

// The context of an aggregate.
export function findingContext(aggregate: Aggregate, durationNs: number | null): FindingContext {
  const bySyscall = new Map(aggregate.syscalls.map((s) => [s.name, s]));
  const cache = new Map<string, ModeAnalysis>();
  return {
    rows: latencyRows(aggregate),
    categories: categoryTimes(aggregate),
    durationNs,
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

// Every rule's findings, in rule order.
export function runRules(ctx: FindingContext, rules: readonly FindingRule[]): Finding[] {
  return rules.flatMap((rule) => rule(ctx));
}
