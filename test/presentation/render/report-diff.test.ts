import { describe, expect, it } from 'vitest';
import { change, diffCaptures, type DiffSide } from '../../../src/core/analysis/diff.js';
import { palette } from '../../../src/presentation/render/color.js';
import { beforeAfter, formatChange, formatFactor, formatPValue, renderDiff } from '../../../src/presentation/render/report-diff.js';
import { diffJson } from '../../../src/presentation/render/report-diff-json.js';
import { formatCount } from '../../../src/presentation/render/units.js';
import type { SyscallEvent } from '../../../src/core/model/events.js';
import { aggregateOf, callsOf, logNormal } from '../../helpers/offline.js';

async function side(events: readonly SyscallEvent[], verdict: string | null = null): Promise<DiffSide> {
  return { aggregate: await aggregateOf(events), durationNs: 1e9, findings: [], verdict };
}

const cellsOf = (text: string, syscall: string): string[] => text.split('\n').find((l) => l.startsWith(`${syscall} `))!.split(/\s{2,}/);

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

describe('formatPValue', () => {
  it.each([
    [0.00001, 'p<0.001'],
    [0.0031, 'p=0.003'],
    [0.012185, 'p=0.012'],
    [0.2134, 'p=0.21'],
    [0.99999, 'p=1'],
    [1, 'p=1'],
  ])('%s is %s', (p, text) => {
    expect(formatPValue(p)).toBe(text);
  });
});

describe('formatFactor', () => {
  it.each([
    [1, '×2.0'],
    [-0.5, '×0.50'],
    [-0.966, '×0.034'],
    [11, '×12'],
  ])('ratio %s is %s', (ratio, text) => {
    expect(formatFactor(ratio)).toBe(text);
  });
});

describe('renderDiff', () => {
  it('marks a regression with its tests and shows the +/-% columns', async () => {
    const before = await side(callsOf('fsync', Array<number>(40).fill(100_000)), 'idle');
    const after = await side([...callsOf('fsync', Array<number>(40).fill(300_000)), ...callsOf('brk', [100])], 'io-bound');
    const text = renderDiff({ beforeInput: 'b.csv', afterInput: 'a.csv', diff: diffCaptures(before, after) }, palette(false));
    expect(text).toContain('Verdict:      idle → io-bound (changed)');
    expect(text).toContain('Changes:      1 significant regression, 0 improvements');
    expect(text).toContain('Per call:     100 µs → 293 µs of syscall time (+192.7%)');
    expect(text).toContain('(significant: p < 0.01, a change of at least 10% and 100 ns, at least 30 calls on both sides;');
    expect(cellsOf(text, 'fsync')).toEqual([
      'fsync',
      '40 → 40',
      '0%',
      '4.0 ms → 12.0 ms',
      '+200%',
      '100 µs → 300 µs',
      '+200%',
      '100 µs → 300 µs',
      '+200%',
      '100 µs → 300 µs',
      '+200%',
      'REGRESSION p50, mean (Mann-Whitney p<0.001), p99 (exceedance p<0.001)',
    ]);
    expect(cellsOf(text, 'brk')).toEqual(['brk', '- → 1', 'new', '- → 100 ns', 'new', '- → 100 ns', 'new', '- → 100 ns', 'new', '- → 100 ns', 'new']);
  });

  it('calls more calls at the same cost more work, and says when a change is not significant', async () => {
    const before = await side([...callsOf('write', logNormal(1000, 20_000, 0.3, 1)), ...callsOf('read', [1100, 1050, 980, 1020, ...Array<number>(31).fill(1000)])]);
    const after = await side([...callsOf('write', logNormal(2000, 20_000, 0.3, 2)), ...callsOf('read', [1500, 1600, 1400, 1550, ...Array<number>(31).fill(1000)])]);
    const text = renderDiff({ beforeInput: 'b', afterInput: 'a', diff: diffCaptures(before, after) }, palette(false));
    expect(text).toContain('Changes:      0 significant regressions, 0 improvements');
    expect(cellsOf(text, 'write').at(-1)).toBe('more work (calls ×2.0, per-call unchanged)');
    // 4 of 35 calls above before's p99 (its slowest call), 1 expected: 2 * scipy betabinom(35, 1, 35).sf(3) = 0.114
    expect(cellsOf(text, 'read').slice(-3)).toEqual(['1.1 µs → 1.6 µs', '+45.5%', 'not significant: p99 (exceedance p=0.11)']);
  });

  it('shows waiting syscalls apart, never as regressions', async () => {
    const before = await side([...callsOf('epoll_wait', Array<number>(50).fill(1e6)), ...callsOf('read', Array<number>(50).fill(1000))]);
    const after = await side([...callsOf('epoll_wait', Array<number>(50).fill(5e6)), ...callsOf('read', Array<number>(50).fill(1000))]);
    const text = renderDiff({ beforeInput: 'b', afterInput: 'a', diff: diffCaptures(before, after) }, palette(false));
    expect(text).toContain('Changes:      0 significant regressions, 0 improvements');
    const [table, waiting] = text.split('Waiting syscalls (idle time: a longer wait is not a slower call, never a regression):');
    expect(table).toMatch(/\nread /);
    expect(table).not.toMatch(/\nepoll_wait /);
    expect(cellsOf(waiting!, 'epoll_wait').at(-1)).toBe('longer waits: p50, mean (Mann-Whitney p<0.001), p99 (exceedance p<0.001)');
    expect(text).not.toContain('REGRESSION');
  });

  it('paints only on request', async () => {
    const d = diffCaptures(await side(callsOf('fsync', Array<number>(40).fill(100_000))), await side(callsOf('fsync', Array<number>(40).fill(300_000))));
    expect(renderDiff({ beforeInput: 'b', afterInput: 'a', diff: d }, palette(false))).not.toContain('\u001b[');
    expect(renderDiff({ beforeInput: 'b', afterInput: 'a', diff: d }, palette(true))).toContain('\u001b[31mREGRESSION p50, mean (Mann-Whitney');
  });

  it('renders two empty captures', async () => {
    const text = renderDiff({ beforeInput: 'b.csv', afterInput: 'a.csv', diff: diffCaptures(await side([]), await side([])) }, palette(false));
    expect(text).toContain('No syscalls in either capture.');
    expect(text).toContain('The same findings in both captures.');
    expect(text).not.toContain('Time by category');
  });

  it('gives JSON with rounded times, the options, and each test with its p-value', async () => {
    const d = diffCaptures(await side(callsOf('read', Array<number>(40).fill(1000.4))), await side(callsOf('read', Array<number>(40).fill(2000))), { threshold: 0.1, minCalls: 1 });
    const j = diffJson('b.csv', 'a.csv', d) as {
      format: string;
      version: number;
      threshold: number;
      alpha: number;
      minDeltaNs: number;
      tests: Record<string, string>;
      syscalls: Array<Record<string, unknown> & { tests: { data: string; mannWhitney: { pValue: number }; exceedance: Record<string, number> } }>;
    };
    expect([j.format, j.version, j.threshold, j.alpha, j.minDeltaNs]).toEqual(['syscall-prof/diff', 2, 0.1, 0.01, 100]);
    expect(j.tests).toEqual({ p50: 'mann-whitney-u', mean: 'mann-whitney-u', p99: 'exceedance' });
    const s = j.syscalls[0]!;
    expect(s).toMatchObject({ name: 'read', regression: true, regressed: ['p50', 'mean', 'p99'], p50Ns: { before: 1000, after: 2000 }, work: { basis: 'calls', kind: 'same' } });
    expect(s['latency']).toMatchObject({ p50: { test: 'mann-whitney-u', large: true, significant: 'slower' }, p99: { test: 'exceedance', significant: 'slower' } });
    expect(s.tests.data).toBe('calls');
    expect(s.tests.mannWhitney.pValue).toBeLessThan(1e-10);
    expect(s.tests.exceedance).toMatchObject({ quantile: 0.99, thresholdLowNs: 1000, beforeCalls: 40, afterCalls: 40, afterAbove: 40 });
    expect(JSON.parse(JSON.stringify(j))).toEqual(j);
  });
});
