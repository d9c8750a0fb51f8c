// The agent's stack counters: deltas of the cumulative stack health, summed over loader runs.
import { describe, expect, it } from 'vitest';
import type { StackHealth } from '../../../src/core/model/stacks.js';
import { ExportAccumulator } from '../../../src/presentation/export/accumulator.js';
import { buildFamilies } from '../../../src/presentation/export/metrics.js';
import { renderPrometheus } from '../../../src/presentation/export/prometheus-text.js';
import { profileOf } from '../../helpers/profile.js';

const START = new Date('2026-01-01T00:00:00Z');

function snap(durationS: number, h: Partial<StackHealth> | null, startedAt = START) {
  const health: StackHealth = { slowCalls: 0, taken: 0, rateLimited: 0, lost: 0, unwoundFull: 0, unwoundPartial: 0, unwoundNone: 0, reasons: [], ...h };
  return profileOf({ startedAt, durationNs: durationS * 1e9, final: false, stacks: h === null ? null : { defs: new Map(), stats: [], health } });
}

describe('stack health counters', () => {
  it('are not exported without stacks', () => {
    const acc = new ExportAccumulator({ labels: ['syscall'], maxSeries: 10 });
    acc.update(snap(1, null));
    expect(buildFamilies(acc).map((f) => f.name).filter((n) => n.includes('stack'))).toEqual([]);
  });

  it('count what each snapshot added, and a new loader run from zero', () => {
    const acc = new ExportAccumulator({ labels: ['syscall'], maxSeries: 10 });
    acc.update(snap(1, { slowCalls: 10, taken: 8, rateLimited: 2, unwoundFull: 6, unwoundPartial: 1, unwoundNone: 1 }));
    acc.update(snap(2, { slowCalls: 15, taken: 12, rateLimited: 2, lost: 1, unwoundFull: 9, unwoundPartial: 2, unwoundNone: 1 }));
    // the agent restarted its loader: readings count from zero again
    acc.update(snap(1, { slowCalls: 4, taken: 4, unwoundFull: 4 }, new Date(START.getTime() + 60_000)));
    expect(acc.stacks.counts).toEqual({ slowCalls: 19, taken: 16, rateLimited: 2, lost: 1, unwoundFull: 13, unwoundPartial: 2, unwoundNone: 1 });
    const text = renderPrometheus(buildFamilies(acc));
    expect(text).toContain('syscall_prof_stacks_taken_total 16');
    expect(text).toContain('syscall_prof_stacks_rate_limited_total 2');
    expect(text).toContain('syscall_prof_stacks_unwound_total{completeness="partial"} 2');
  });
});
