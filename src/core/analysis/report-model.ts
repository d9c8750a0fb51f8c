// Everything the report shows, computed from an analysed capture: summary,
// verdict, time by category (bottleneck, on/off CPU), findings ranked by
// saving, latency distributions with their modes in words, I/O patterns per
// file, hot files, and the top threads and processes.
import { connectionTable, type ConnectionTable } from './connection-table.js';
import { categoryOfName, CATEGORY_LABELS, type Category } from '../model/categories.js';
import type { IoUringProfile } from '../model/io-uring.js';
import type { ProcessAggregate, ThreadAggregate } from './aggregate.js';
import { bucketTable, type BucketTable } from './buckets.js';
import { verdictInput, type CaptureAnalysis } from './capture.js';
import { captureTotals, type CaptureTotals } from './capture-totals.js';
import type { CategoryTime } from './category-times.js';
import { cpuSplit, cpuSplitSummary, syscallCpuSplits, type CpuSplit, type CpuSplitSummary } from './cpu-split.js';
import type { IoStreamStats } from './facts/io-streams.js';
import { findingContext, runRules, type Finding, type FindingRule } from './findings.js';
import { hotFiles, HOT_FILES_SHOWN, type HotFile } from './hot-files.js';
import { latencyRow, latencyRows, type LatencyRow } from './latency-rows.js';
import { mainCategory, modeLabels, type ModeLabel } from './mode-labels.js';
import type { ModeAnalysis } from './modes.js';
import { FINDING_RULES } from './rules/index.js';
import { tcpRows, type TcpRow } from './tcp-rows.js';
import { topRows, type TopRows } from './top.js';
import { verdictOf, type Verdict } from './verdict.js';
import { stackReport, type StackReport } from './stacks.js';
import { withTopStacks } from './finding-stacks.js';

// How many syscalls get a latency distribution.
export const DISTRIBUTIONS_SHOWN = 3;
// How many files the I/O pattern table lists.
export const IO_FILES_SHOWN = 20;
// How many threads and processes the tables list.
export const THREADS_SHOWN = 10;
export const PROCESSES_SHOWN = 10;

// One syscall's distribution section.
export interface DistributionSection {
  readonly syscall: string;
  readonly table: BucketTable;
  readonly modes: ModeAnalysis;
  // where most of its time went (a read on files is disk-read, on sockets network)
  readonly category: Category;
  // each mode's probable source, lowest first (reads of files: cache, disk); null when not told
  readonly modeLabels: readonly (ModeLabel | null)[];
  readonly row: LatencyRow;
}

// A time-by-category row: the category's time and, when the capture has
// off-CPU times, how it splits (null otherwise).
export interface CategoryRow extends CategoryTime {
  readonly label: string;
  readonly cpu: CpuSplit | null;
}

// The I/O pattern table: per file, with the files not kept apart folded.
export interface IoPatternTable {
  // by time, most first (at most IO_FILES_SHOWN)
  readonly files: readonly IoStreamStats[];
  // files beyond IO_FILES_SHOWN
  readonly omitted: number;
  // calls on files the capture could not keep apart (bounded memory), or null
  readonly other: IoStreamStats | null;
  // how many files were folded into `other` ("at least" when foldedAtLeast)
  readonly folded: number;
  readonly foldedAtLeast: boolean;
}

// Capture-wide numbers for the summary.
export interface ReportSummary extends CaptureTotals {
  // 'events': exact, per call; 'profile': estimated from histograms (no per-call facts)
  readonly source: 'events' | 'profile';
  readonly durationNs: number | null;
  // time in all syscalls
  readonly syscallNs: number;
  readonly processes: number;
  readonly threads: number;
  // the target's CPU time when the capture says; null otherwise
  readonly cpuNs: number | null;
  // the traced threads' lifetimes summed, and how many threads the kernel
  // measured, when the capture says (CaptureMeta); null otherwise
  readonly threadNs: number | null;
  readonly threadCount: number | null;
  // per-call facts were available (file patterns, hot files, fd-level rules)
  readonly perCallFacts: boolean;
}

// The report's content.
export interface ReportModel {
  readonly summary: ReportSummary;
  readonly verdict: Verdict;
  readonly rows: readonly LatencyRow[];
  // rows left out by --top
  readonly omitted: number;
  readonly categories: readonly CategoryRow[];
  // per syscall, where its time went on/off the CPU; empty when the capture has no off-CPU times
  readonly cpuSplits: readonly CpuSplit[];
  // what the splits say together; null without off-CPU times
  readonly cpuSummary: CpuSplitSummary | null;
  // ranked by estimated saving, most first
  readonly findings: readonly Finding[];
  readonly distributions: readonly DistributionSection[];
  // null without per-call facts
  readonly ioPatterns: IoPatternTable | null;
  readonly hotFiles: readonly HotFile[];
  // connections per process, direction and endpoint; null without per-call facts
  readonly connections: ConnectionTable | null;
  // the kernel's TCP figures per process and port (spb captures); null when the capture has none
  readonly tcp: readonly TcpRow[] | null;
  readonly threads: TopRows<ThreadAggregate>;
  readonly processes: TopRows<ProcessAggregate>;
  // io_uring requests, when the capture carries them; else null
  readonly ioUring: IoUringProfile | null;
  // where the slow calls come from (their stacks), when the capture has them; else null
  readonly stacks: StackReport | null;
}

// The report of a capture; `top` limits the summary table (null: every syscall).
export function reportModel(analysis: CaptureAnalysis, top: number | null, rules: readonly FindingRule[] = FINDING_RULES): ReportModel {
  const { aggregate, durationNs, facts, meta } = analysis;
  const verdict = verdictOf(aggregate, verdictInput(analysis), facts);
  const ctx = findingContext(aggregate, durationNs, facts, verdict.capacityNs, verdict.working?.ns ?? verdict.capacityNs, analysis.ioUring ?? null, meta.listen ?? null);
  const { rows, omitted } = topRows(latencyRows(aggregate), top);
  const distributions = aggregate.syscalls
    .filter((s) => s.count > 0)
    .slice(0, DISTRIBUTIONS_SHOWN)
    .map((s): DistributionSection => {
      const category = mainCategory(s.categories, categoryOfName(s.name));
      const modes = ctx.modes(s.name);
      return { syscall: s.name, table: bucketTable(s, { kind: 'default' }), modes, category, modeLabels: modeLabels(modes, category), row: latencyRow(s) };
    });
  const totals = captureTotals(aggregate, durationNs);
  const cpuNs = meta.cpuNs ?? null;
  const files = facts === null ? null : topRows(facts.files.rows, IO_FILES_SHOWN);
  const cpuSplits = syscallCpuSplits(aggregate);
  return {
    summary: {
      ...totals,
      source: aggregate.source,
      durationNs,
      syscallNs: totals.totalNs,
      processes: aggregate.processes.length,
      threads: aggregate.threads.length,
      cpuNs,
      threadNs: meta.threadNs ?? null,
      threadCount: meta.threadCount ?? null,
      perCallFacts: facts !== null,
    },
    verdict,
    rows,
    omitted,
    categories: ctx.categories.map((c) => ({ ...c, label: CATEGORY_LABELS[c.category], cpu: cpuSplit(CATEGORY_LABELS[c.category].toLowerCase(), c.totalNs, c.offCpuNs, c.runqNs) })),
    cpuSplits,
    cpuSummary: cpuSplitSummary(cpuSplits),
    findings: withTopStacks(runRules(ctx, rules), analysis.stacks ?? null),
    distributions,
    ioPatterns:
      facts === null || files === null
        ? null
        : { files: files.rows, omitted: files.omitted, other: facts.files.other, folded: facts.files.folded, foldedAtLeast: facts.files.foldedAtLeast },
    hotFiles: hotFiles(facts, HOT_FILES_SHOWN),
    connections: facts === null ? null : connectionTable(facts.connections),
    tcp: meta.tcp == null ? null : tcpRows({ tcp: meta.tcp }),
    threads: topRows(aggregate.threads, THREADS_SHOWN),
    processes: topRows(aggregate.processes, PROCESSES_SHOWN),
    ioUring: analysis.ioUring ?? null,
    stacks: stackReport(analysis.stacks ?? null),
  };
}
