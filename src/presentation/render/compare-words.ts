// Words shared by the compare renderers (terminal, Markdown): how a level
// differs from the first, how loaded it was, and the cells of a syscall's row.
import type { CompareRow, Comparison, LevelChange, LevelStats, LevelSummary } from '../../core/analysis/compare.js';
import type { LatencyMetric } from '../../core/analysis/diff.js';
import type { VerdictKind } from '../../core/analysis/verdict.js';
import type { LoadLevel } from '../../core/model/load.js';
import { ESTIMATE_MARK } from './latency-cells.js';
import { formatCount, formatDuration, formatPercent, formatRate } from './units.js';

// The columns of a syscall's table, one row per level.
export const COMPARE_SYSCALL_TITLES = ['Level', 'Calls', 'Calls/s', 'Errors', 'Avg', 'p50', 'p90', 'p99', 'Max', 'Off-CPU', 'vs first'] as const;

// "CPU-bound", "I/O-bound", ...
export const VERDICT_WORDS: Readonly<Record<VerdictKind, string>> = {
  'cpu-bound': 'CPU-bound',
  'io-bound': 'I/O-bound',
  'lock-bound': 'lock-bound',
  idle: 'idle',
  mixed: 'mixed',
  unknown: 'unknown',
};

// How the levels are judged, in one sentence.
export function methodText(c: Comparison, first: string): string {
  const o = c.diffOptions;
  return (
    `Each level is judged against "${first}": p50 and mean by the Mann-Whitney U test, p99 by an exceedance test ` +
    `(calls above ${first}'s p99), significant at p < ${o.alpha} and only for a change of at least ${formatPercent(o.threshold)} ` +
    `and ${formatDuration(o.minDeltaNs)} with ${formatCount(o.minCalls)}+ calls on both sides. More calls is more work, not a slower call. ` +
    `Waiting calls (epoll_wait, futex, sleeps) are never a cost.`
  );
}

// The cells of one syscall at one level (the first cell is the level's label).
export function syscallLevelCells(row: CompareRow, k: number, level: LevelSummary): string[] {
  const s: LevelStats | null = row.levels[k] ?? null;
  if (s === null) return [level.label, '0', '-', '-', '-', '-', '-', '-', '-', '-', k === 0 ? '' : 'absent'];
  const est = s.estimated ? ESTIMATE_MARK : '';
  const pct = (ns: number): string => `${est}${formatDuration(ns)}`;
  return [
    level.label,
    formatCount(s.calls),
    s.callsPerSec === null ? '-' : formatRate(s.callsPerSec),
    s.errors === 0 ? '0' : formatCount(s.errors),
    formatDuration(s.avgNs),
    pct(s.p50Ns),
    pct(s.p90Ns),
    pct(s.p99Ns),
    formatDuration(s.maxNs),
    s.offCpuNs === null || s.totalNs === 0 ? '-' : formatPercent(s.offCpuNs / s.totalNs),
    k === 0 ? '' : changeText(row.changes[k] ?? null, row.waiting),
  ];
}

// "slower p50, p99 (p<0.001)", "faster p99 (p=0.004)", "unchanged", "too few calls"; with "; more work ×2.0" when the calls grew.
export function changeText(c: LevelChange | null, waiting: boolean): string {
  if (c === null) return '-';
  const parts: string[] = [];
  const metrics = (ms: readonly LatencyMetric[]): string => `${ms.join(', ')} (${pText(ms, c)})`;
  if (c.perCall === null) parts.push('too few calls to judge');
  else if (waiting) {
    if (c.perCall === 'slower') parts.push('longer waits (not a cost)');
    else if (c.perCall === 'faster') parts.push('shorter waits');
    else parts.push('unchanged');
  } else if (c.regressed.length > 0) parts.push(`SLOWER ${metrics(c.regressed)}`);
  else if (c.improved.length > 0) parts.push(`faster ${metrics(c.improved)}`);
  else parts.push('unchanged');
  if (c.work === 'more' || c.work === 'less') parts.push(`${c.work} work`);
  return parts.join('; ');
}

function pText(metrics: readonly LatencyMetric[], c: LevelChange): string {
  const ps = metrics.map((m) => (m === 'p99' ? c.p99PValue : c.p50PValue)).filter((p): p is number => p !== null);
  if (ps.length === 0) return 'p unknown';
  const worst = Math.max(...ps);
  return worst < 0.001 ? 'p<0.001' : `p=${Number(worst.toPrecision(2))}`;
}

// "stress-ng --cpu 2: CPUs 97% busy; pressure cpu 41%, io 0%, memory 0%" or "not recorded".
export function loadText(load: LoadLevel | null): string {
  if (load === null) return 'not recorded';
  const share = (x: number | null): string => (x === null ? '-' : formatPercent(x));
  const generator = load.generator === null || load.workers === 0 ? 'no load generator' : load.generator;
  return `${generator}: CPUs ${share(load.cpuBusy)} busy; stalled (PSI some) cpu ${share(load.cpuPressure.some)}, io ${share(load.ioPressure.some)}, memory ${share(load.memoryPressure.some)}`;
}

// The verdict with the parts of the working time: "I/O-bound (of working time: io 62%, cpu 20% (runnable 5%))".
export function verdictCell(l: LevelSummary): string {
  const pct = (x: number | null): string | null => (x === null || x < 0.005 ? null : formatPercent(x));
  const cpu = pct(l.cpuShare);
  const runq = pct(l.runqShare);
  const parts = [
    cpu === null ? null : `cpu ${cpu}${runq === null ? '' : ` (runnable ${runq})`}`,
    pct(l.ioShare) === null ? null : `io ${pct(l.ioShare)}`,
    pct(l.lockShare) === null ? null : `lock ${pct(l.lockShare)}`,
  ].filter((p): p is string => p !== null);
  return `${VERDICT_WORDS[l.verdict]}${parts.length > 0 ? ` (of working time: ${parts.join(', ')})` : ''}`;
}

// "123 ms (45.6%)", or "-" when absent.
export function categoryCell(totalNs: number, share: number | null): string {
  if (totalNs === 0) return '-';
  return share === null ? formatDuration(totalNs) : `${formatDuration(totalNs)} (${formatPercent(share)})`;
}

// The footnote for percentiles estimated from in-kernel histograms; null when every one is exact.
export function estimateText(c: Comparison): string | null {
  const worst = Math.max(0, ...c.rows.flatMap((r) => r.levels.map((s) => (s !== null && s.estimated ? s.percentileError : 0))));
  return worst === 0 ? null : `${ESTIMATE_MARK} estimated from in-kernel histograms (no per-call events), within ${formatPercent(worst)} of the true value`;
}
