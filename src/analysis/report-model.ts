// Everything the Markdown report shows, computed from an analysed capture.
import { bucketTable, type BucketTable } from './buckets.js';
import type { CaptureAnalysis } from './capture.js';
import type { CategoryTime } from './category-times.js';
import { findingContext, runRules, type Finding, type FindingRule } from './findings.js';
import { latencyRow, latencyRows, type LatencyRow } from './latency-rows.js';
import type { ModeAnalysis } from './modes.js';
import { FINDING_RULES } from './rules/index.js';
import { topRows } from './top.js';

// How many syscalls get a latency distribution.
export const DISTRIBUTIONS_SHOWN = 3;

// One syscall's distribution section.
export interface DistributionSection {
  readonly syscall: string;
  readonly table: BucketTable;
  readonly modes: ModeAnalysis;
  readonly row: LatencyRow;
}

// The report's content.
export interface ReportModel {
  readonly rows: readonly LatencyRow[];
  // rows left out by --top
  readonly omitted: number;
  readonly categories: readonly CategoryTime[];
  readonly findings: readonly Finding[];
  readonly distributions: readonly DistributionSection[];
}

// The report of a capture; `top` limits the summary table (null: every syscall).
export function reportModel(analysis: CaptureAnalysis, top: number | null, rules: readonly FindingRule[] = FINDING_RULES): ReportModel {
  const ctx = findingContext(analysis.aggregate, analysis.durationNs);
  const { rows, omitted } = topRows(latencyRows(analysis.aggregate), top);
  const distributions = analysis.aggregate.syscalls
    .filter((s) => s.count > 0)
    .slice(0, DISTRIBUTIONS_SHOWN)
    .map((s) => ({ syscall: s.name, table: bucketTable(s, { kind: 'default' }), modes: ctx.modes(s.name), row: latencyRow(s) }));
  return { rows, omitted, categories: ctx.categories, findings: runRules(ctx, rules), distributions };
}
