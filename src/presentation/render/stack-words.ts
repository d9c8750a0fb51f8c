// Stacks in words: a stack as one line of frames, and what happened to the
// slow calls (taken, skipped, how far unwound), shared by trace's block, the
// report's section and health line, and the findings' evidence.
import type { StackRow } from '../../core/analysis/stacks.js';
import type { StackHealth } from '../../core/model/stacks.js';
import { formatCount, formatDuration, formatPercent } from './units.js';

// Frames shown of a long stack (the innermost: the callers nearest the syscall).
export const STACK_FRAMES_SHOWN = 8;

// "main → ledger_run → ledger_durable_commit → fsync", outermost first; a
// longer stack keeps its innermost `max` frames after "…".
export function stackLine(names: readonly string[], max: number | null = STACK_FRAMES_SHOWN): string {
  if (names.length === 0) return '(no frames)';
  const shown = max !== null && names.length > max ? ['…', ...names.slice(names.length - max)] : names;
  return shown.join(' → ');
}

// "p50 1.9 ms, p99 3.1 ms, max 3.2 ms"
export function stackLatency(r: Pick<StackRow, 'p50Ns' | 'p99Ns' | 'maxNs'>): string {
  return `p50 ${formatDuration(r.p50Ns)}, p99 ${formatDuration(r.p99Ns)}, max ${formatDuration(r.maxNs)}`;
}

// How far a partial or failed stack got, when it was not all the way.
export function stackCompletenessNote(r: Pick<StackRow, 'completeness' | 'reason'>): string | null {
  if (r.completeness === 'partial') return `partial stack${r.reason === '' ? '' : `: ${r.reason}`}`;
  if (r.completeness === 'none') return `not unwound${r.reason === '' ? '' : `: ${r.reason}`}`;
  return null;
}

// "Stacks: " and what happened to the slow calls (stackHealthSummary).
export function stackHealthText(h: StackHealth): string {
  return `Stacks: ${stackHealthSummary(h)}`;
}

// What happened to the slow calls, in one sentence: how many had a stack,
// how many the rate limit skipped, how far they unwound (with the top reasons).
export function stackHealthSummary(h: StackHealth): string {
  const parts: string[] = [];
  parts.push(h.slowCalls === null ? `${formatCount(h.taken)} slow calls with a stack` : `${formatCount(h.taken)} of ${formatCount(h.slowCalls)} slow calls had a stack taken`);
  if (h.rateLimited !== null) parts.push(`${formatCount(h.rateLimited)} skipped by the rate limit`);
  if (h.lost !== null && h.lost > 0) parts.push(`${formatCount(h.lost)} lost (buffer full)`);
  const unwound = h.unwoundFull + h.unwoundPartial + h.unwoundNone;
  if (unwound > 0) {
    const reasons = h.reasons.slice(0, 3).map((r) => `${r.reason} ${formatCount(r.count)}`);
    parts.push(
      `unwound fully ${formatCount(h.unwoundFull)}, partially ${formatCount(h.unwoundPartial)}, not at all ${formatCount(h.unwoundNone)}${reasons.length > 0 ? ` (${reasons.join(', ')})` : ''}`,
    );
  } else if (h.taken > 0) {
    parts.push('how far each unwound is not recorded in this capture');
  }
  return parts.join('; ');
}

// The evidence line a finding about a syscall gets from its top stack.
export function topStackEvidence(r: StackRow): string {
  return `Top stack of its slow calls (${formatPercent(r.share)} of their time, ${formatCount(r.calls)} calls, ${stackLatency(r)}): ${stackLine(r.names)}`;
}
