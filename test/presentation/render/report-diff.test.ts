import { describe, expect, it } from 'vitest';
import { change, diffCaptures, type DiffSide } from '../../../src/core/analysis/diff.js';
import { palette } from '../../../src/presentation/render/color.js';
import { beforeAfter, formatChange, renderDiff } from '../../../src/presentation/render/report-diff.js';
import { diffJson } from '../../../src/presentation/render/report-diff-json.js';
import { formatCount } from '../../../src/presentation/render/units.js';
import type { SyscallEvent } from '../../../src/core/model/events.js';
import { aggregateOf, callsOf } from '../../helpers/offline.js';

async function side(events: readonly SyscallEvent[], verdict: string | null = null): Promise<DiffSide> {
  return { aggregate: await aggregateOf(events), durationNs: 1e9, findings: [], verdict };
}

describe('formatChange', () => {
  it.each([
    [100, 120, '+20%'],
    [100, 90, '-10%'],
    [100, 100, '0%'],
    [100, 1000, '10x'],
    [1, 210, '210x'],
    [null, 5, 'new'],
    [5, null, 'gone'],
    [0, 0, '0%'],
    [0, 5, '-'],
  ])('%s -> %s is %s', (b, a, text) => {
    expect(formatChange(change(b, a))).toBe(text);
  });

  it('writes both sides', () => {
    expect(beforeAfter(change(30, null), formatCount)).toBe('30 → -');
  });
});

describe('renderDiff', () => {
  it('marks a regression and shows the +/-% columns', async () => {
    const before = await side(callsOf('fsync', Array<number>(40).fill(100_000)), 'idle');
    const after = await side([...callsOf('fsync', Array<number>(40).fill(300_000)), ...callsOf('brk', [100])], 'io-bound');
    const text = renderDiff({ beforeInput: 'b.csv', afterInput: 'a.csv', diff: diffCaptures(before, after) }, palette(false));
    expect(text).toContain('Verdict:      idle → io-bound (changed)');
    expect(text).toContain('Changes:      1 significant regression, 0 improvements');
    const fsync = text.split('\n').find((l) => l.startsWith('fsync'))!;
    expect(fsync.split(/\s{2,}/)).toEqual(['fsync', '40 → 40', '0%', '4.0 ms → 12.0 ms', '+200%', '100 µs → 300 µs', '+200%', '100 µs → 300 µs', '+200%', 'REGRESSION (p99, total)']);
    const brk = text.split('\n').find((l) => l.startsWith('brk'))!;
    expect(brk.split(/\s{2,}/)).toEqual(['brk', '- → 1', 'new', '- → 100 ns', 'new', '- → 100 ns', 'new', '- → 100 ns', 'new']);
  });

  it('paints only on request', async () => {
    const d = diffCaptures(await side(callsOf('fsync', Array<number>(40).fill(100_000))), await side(callsOf('fsync', Array<number>(40).fill(300_000))));
    expect(renderDiff({ beforeInput: 'b', afterInput: 'a', diff: d }, palette(false))).not.toContain('\u001b[');
    expect(renderDiff({ beforeInput: 'b', afterInput: 'a', diff: d }, palette(true))).toContain('\u001b[31mREGRESSION (p99, total)');
  });

  it('renders two empty captures', async () => {
    const text = renderDiff({ beforeInput: 'b.csv', afterInput: 'a.csv', diff: diffCaptures(await side([]), await side([])) }, palette(false));
    expect(text).toContain('No syscalls in either capture.');
    expect(text).toContain('The same findings in both captures.');
    expect(text).not.toContain('Time by category');
  });

  it('gives JSON with rounded times and the options', async () => {
    const d = diffCaptures(await side(callsOf('read', [1000.4])), await side(callsOf('read', [2000])), { threshold: 0.1, minCalls: 1 });
    const j = diffJson('b.csv', 'a.csv', d) as { format: string; threshold: number; syscalls: Array<{ name: string; regression: boolean; p99Ns: unknown }> };
    expect(j.format).toBe('syscall-prof/diff');
    expect(j.threshold).toBe(0.1);
    expect(j.syscalls[0]).toMatchObject({ name: 'read', regression: true, p99Ns: { before: 1000, after: 2000 } });
  });
});
