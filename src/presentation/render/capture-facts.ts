// The facts above every offline view: what was read, what it traced, for how long.
import type { CaptureAnalysis } from '../../core/analysis/capture.js';
import { captureTotals } from '../../core/analysis/capture-totals.js';
import type { CaptureMeta } from '../../core/model/events.js';
import { formatCount, formatDuration, formatRate } from './units.js';
import { stackHealthSummary } from './stack-words.js';

// [label, value] pairs, in display order.
export function captureFacts(input: string, analysis: CaptureAnalysis): Array<[string, string]> {
  const { meta, aggregate, durationNs } = analysis;
  const t = captureTotals(aggregate, durationNs);
  const facts: Array<[string, string]> = [['Input', `${input} (${meta.backend}, ${meta.arch})`]];
  if (meta.target !== '') facts.push(['Target', meta.target]);
  const procs = processLine(analysis);
  if (procs !== null) facts.push(procs);
  facts.push(['Duration', durationNs === null ? 'unknown' : formatDuration(durationNs)]);
  const errors = t.errors > 0 ? ` (${formatCount(t.errors)} error${t.errors === 1 ? '' : 's'})` : '';
  const rate = t.callsPerSecond === null ? '' : `, ${formatRate(t.callsPerSecond)}/s`;
  facts.push(['Total syscalls', `${formatCount(t.calls)}${errors}${rate}`]);
  const filters = describeFilters(meta.filters);
  if (filters !== null) facts.push(['Filters', filters]);
  const stacks = analysis.stacks ?? null;
  if (stacks !== null) facts.push(['Stacks', stackHealthSummary(stacks.health)]);
  if (aggregate.source === 'profile') facts.push(['Source', 'in-kernel histograms (no per-call events): percentiles are estimates']);
  return facts;
}

// Warnings about what the capture is missing; empty when nothing.
export function captureWarnings(meta: CaptureMeta): string[] {
  return meta.lostEvents > 0 ? [`${formatCount(meta.lostEvents)} calls were lost by the kernel (buffer full) and are not in these numbers`] : [];
}

// "Process: db (PID 12)", or "Processes: 3 - make (PID 1), cc1 (PID 2), ..." (top 3 by time); null when none.
function processLine(analysis: CaptureAnalysis): [string, string] | null {
  const procs = analysis.aggregate.processes;
  if (procs.length === 0) return null;
  const name = (p: { pid: number; comm: string }): string => (p.comm === '' ? `PID ${p.pid}` : `${p.comm} (PID ${p.pid})`);
  if (procs.length === 1) return ['Process', name(procs[0]!)];
  const shown = procs.slice(0, 3).map(name).join(', ');
  return ['Processes', `${formatCount(procs.length)}: ${shown}${procs.length > 3 ? ', ...' : ''}`];
}

// The kernel filters in words, or null when none was in force.
function describeFilters(f: CaptureMeta['filters']): string | null {
  const parts: string[] = [];
  if (f.syscalls !== null) parts.push(`only ${f.syscalls.join(', ')}`);
  if (f.minDurationNs > 0) parts.push(`only calls of ${formatDuration(f.minDurationNs)} or more`);
  if (f.failedOnly) parts.push('only failed calls');
  return parts.length === 0 ? null : parts.join('; ');
}
