import { describe, expect, it } from 'vitest';
import { checkCaptures, type CheckInput } from '../../../src/core/analysis/check.js';
import type { SyscallEvent } from '../../../src/core/model/events.js';
import { renderCheckJson } from '../../../src/presentation/render/check-json.js';
import { renderCheckJunit } from '../../../src/presentation/render/check-junit.js';
import { renderCheck, type CheckView } from '../../../src/presentation/render/check-text.js';
import { palette } from '../../../src/presentation/render/color.js';
import { analysisOf, callsOf, logNormal } from '../../helpers/offline.js';
import { parseXml } from '../../helpers/xml.js';

async function input(events: readonly SyscallEvent[]): Promise<CheckInput> {
  const a = await analysisOf(events);
  return { aggregate: a.aggregate, durationNs: a.durationNs };
}

const scaled = (values: readonly number[], factor: number): number[] => values.map((v) => Math.round(v * factor));

// read regressed, write passed, close indeterminate (2 slow calls: much of the
// time), brk with few calls and little time, epoll_wait waiting, fsync new
async function mixedView(): Promise<CheckView> {
  const base = await input([
    ...callsOf('read', logNormal(300, 20_000, 0.3, 1)),
    ...callsOf('write', logNormal(300, 10_000, 0.3, 2)),
    ...callsOf('close', [1e6, 1.2e6]),
    ...callsOf('brk', [500, 600]),
    ...callsOf('epoll_wait', logNormal(100, 1e6, 0.3, 3)),
  ]);
  const current = await input([
    ...callsOf('read', scaled(logNormal(300, 20_000, 0.3, 4), 2)),
    ...callsOf('write', logNormal(300, 10_000, 0.3, 2)),
    ...callsOf('close', [1e6, 1.3e6]),
    ...callsOf('brk', [500, 700]),
    ...callsOf('epoll_wait', scaled(logNormal(100, 1e6, 0.3, 5), 3)),
    ...callsOf('fsync', [5e6]),
  ]);
  return { baselineInputs: ['base1.spb', 'base<2>.spb'], currentInput: 'current.spb', check: checkCaptures([base], current) };
}

describe('check renderers', () => {
  it('prints a plain table with verdicts and tests', async () => {
    const text = renderCheck(await mixedView(), palette(false));
    expect(text).not.toContain('\u001b[');
    expect(text).toContain('Baseline: base1.spb, base<2>.spb (704 calls)');
    expect(text).toMatch(/\nSyscall +Base calls +Calls +p50 before → after +p99 before → after +Verdict +Test\n/);
    expect(text).toMatch(/\nread +300 +300 +[\d.]+ µs → [\d.]+ µs \(\+\d+(\.\d)?%\) .* REGRESSED +p50 Mann-Whitney p<0\.001/);
    expect(text).toMatch(/\nclose +2 +2 .* INDETERMINATE/);
    expect(text).toMatch(/\nwrite +300 +300 .* PASS +p50 Mann-Whitney p=1, p99 exceedance p=/);
    expect(text).toMatch(/\nepoll_wait .* not judged \(waiting\)/);
    expect(text).toMatch(/\nfsync +- +1 +- → 5\.0 ms +- → 5\.0 ms +new\n/);
    expect(text).toContain('\n1 syscall with fewer than 30 calls and under 10% of the syscall time, not judged: brk\n');
    expect(text).not.toMatch(/\nbrk /);
    expect(text).toContain('1 regressed, 1 indeterminate, 1 passed, 1 with few calls (not judged), 1 waiting (not judged), 1 new: FAIL');
    // regressions come first
    expect(text.indexOf('\nread ')).toBeLessThan(text.indexOf('\nwrite '));
  });

  it('colours verdicts when asked', async () => {
    expect(renderCheck(await mixedView(), palette(true))).toContain('\u001b[31mREGRESSED');
  });

  it('says when there is nothing to check', async () => {
    const empty = await input([]);
    const text = renderCheck({ baselineInputs: ['a.csv'], currentInput: 'b.csv', check: checkCaptures([empty], empty) }, palette(false));
    expect(text).toContain('No syscalls in either capture: nothing to check.');
    expect(text).toContain('nothing judged: OK');
  });

  it('prints the documented JSON', async () => {
    const j = JSON.parse(renderCheckJson(await mixedView())) as Record<string, unknown> & { syscalls: Array<Record<string, unknown>> };
    expect(j).toMatchObject({
      format: 'syscall-prof/check',
      version: 1,
      baselines: ['base1.spb', 'base<2>.spb'],
      current: 'current.spb',
      maxP50Regression: 0.2,
      maxP99Regression: 0.2,
      alpha: 0.01,
      minCalls: 30,
      exitCode: 1,
      counts: { regressed: 1, indeterminate: 1, pass: 1, improved: 0, 'few-calls': 1, waiting: 1, new: 1, gone: 0 },
      rate: null,
    });
    expect(j.syscalls.map((s) => [s['name'], s['verdict']])).toEqual([
      ['read', 'regressed'],
      ['close', 'indeterminate'],
      ['write', 'pass'],
      ['brk', 'few-calls'],
      ['epoll_wait', 'waiting'],
      ['fsync', 'new'],
    ]);
    expect(j.syscalls[0]!['p50']).toMatchObject({ test: 'mann-whitney-u', significant: 'slower', regressed: true, maxRegression: 0.2 });
    expect(Number.isInteger((j.syscalls[0]!['p99'] as { afterNs: number }).afterNs)).toBe(true);
  });

  it('writes JUnit XML: a testcase per judged syscall, failure and skipped', async () => {
    const root = parseXml(renderCheckJunit(await mixedView()));
    expect(root.name).toBe('testsuites');
    expect(root.children).toHaveLength(1);
    const suite = root.children[0]!;
    expect(suite.name).toBe('testsuite');
    expect(suite.attrs).toMatchObject({ name: 'syscall-prof check', tests: '3', failures: '1', errors: '0', skipped: '1' });
    const props = suite.children.find((c) => c.name === 'properties')!.children.map((c) => c.attrs);
    expect(props).toEqual([
      { name: 'baseline', value: 'base1.spb' },
      { name: 'baseline', value: 'base<2>.spb' },
      { name: 'current', value: 'current.spb' },
    ]);
    const cases = suite.children.filter((c) => c.name === 'testcase');
    expect(cases.map((c) => c.attrs['name'])).toEqual(['read', 'close', 'write']);
    expect(cases.every((c) => c.attrs['classname'] === 'syscall')).toBe(true);
    const failure = cases[0]!.children[0]!;
    expect(failure.name).toBe('failure');
    expect(failure.attrs['type']).toBe('regression');
    expect(failure.attrs['message']).toMatch(/^read regressed: p50 \+\d+(\.\d)?%( \(allowed \+20%\))?/);
    expect(failure.text).toMatch(/p50 [\d.]+ µs → [\d.]+ µs/);
    expect(cases[1]!.children.map((c) => c.name)).toEqual(['skipped']);
    expect(cases[1]!.children[0]!.attrs['message']).toContain('too few calls');
    expect(cases[2]!.children.map((c) => c.name)).toEqual(['system-out']);
  });

  it('writes an empty suite when nothing was judged', async () => {
    const empty = await input([]);
    const xml = renderCheckJunit({ baselineInputs: ['a.csv'], currentInput: 'b.csv', check: checkCaptures([empty], empty) });
    expect(parseXml(xml).children[0]!.children.map((c) => c.name)).toEqual(['properties']);
    expect(xml).toContain('tests="0" failures="0" errors="0" skipped="0"');
  });
});
