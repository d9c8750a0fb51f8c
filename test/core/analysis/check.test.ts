import { describe, expect, it } from 'vitest';
import { checkCaptures, poolCaptures, type CheckInput } from '../../../src/core/analysis/check.js';
import { callsOf, analysisOf, logNormal } from '../../helpers/offline.js';
import type { SyscallEvent } from '../../../src/core/model/events.js';

async function input(events: readonly SyscallEvent[]): Promise<CheckInput> {
  const a = await analysisOf(events);
  return { aggregate: a.aggregate, durationNs: a.durationNs };
}

const scaled = (values: readonly number[], factor: number): number[] => values.map((v) => Math.round(v * factor));

describe('checkCaptures', () => {
  it('passes identical distributions', async () => {
    const reads = logNormal(300, 20_000, 0.3, 1);
    const c = checkCaptures([await input(callsOf('read', reads))], await input(callsOf('read', reads)));
    expect(c.syscalls).toHaveLength(1);
    expect(c.syscalls[0]).toMatchObject({ name: 'read', verdict: 'pass', baselineCalls: 300, currentCalls: 300 });
    expect(c.syscalls[0]!.p50.pValue).toBeCloseTo(1, 5);
    expect(c.exitCode).toBe(0);
  });

  it('flags a syscall twice as slow with 200+ calls as a regression (exit 1)', async () => {
    const base = logNormal(250, 20_000, 0.3, 2);
    const c = checkCaptures([await input(callsOf('read', base))], await input(callsOf('read', scaled(logNormal(250, 20_000, 0.3, 3), 2))));
    const s = c.syscalls[0]!;
    expect(s.verdict).toBe('regressed');
    expect(s.p50).toMatchObject({ test: 'mann-whitney-u', significant: 'slower', regressed: true });
    expect(s.p50.ratio!).toBeGreaterThan(0.8);
    expect(s.p50.pValue!).toBeLessThan(1e-6);
    expect(c.counts.regressed).toBe(1);
    expect(c.exitCode).toBe(1);
  });

  it('allows a regression within the threshold', async () => {
    const base = logNormal(250, 20_000, 0.3, 2);
    const slower = scaled(logNormal(250, 20_000, 0.3, 3), 2);
    const c = checkCaptures([await input(callsOf('read', base))], await input(callsOf('read', slower)), { maxP50Regression: 2, maxP99Regression: 2 });
    expect(c.syscalls[0]!.verdict).toBe('pass');
    expect(c.syscalls[0]!.p50.significant).toBe('slower');
    expect(c.exitCode).toBe(0);
  });

  it('cannot decide on 5 calls each (exit 3)', async () => {
    const c = checkCaptures([await input(callsOf('read', [1000, 1100, 1200, 1300, 1400]))], await input(callsOf('read', [9000, 9100, 9200, 9300, 9400])));
    expect(c.syscalls[0]).toMatchObject({ verdict: 'indeterminate', baselineCalls: 5, currentCalls: 5 });
    expect(c.exitCode).toBe(3);
  });

  it('pools two baselines', async () => {
    const b1 = await input(callsOf('read', logNormal(20, 20_000, 0.3, 4)));
    const b2 = await input(callsOf('read', logNormal(20, 20_000, 0.3, 5)));
    const pooled = poolCaptures([b1, b2]);
    expect(pooled.aggregate.syscalls[0]!.count).toBe(40);
    expect(pooled.aggregate.syscalls[0]!.distribution.count).toBe(40);
    expect(pooled.durationNs).toBe(4e9);
    const current = await input(callsOf('read', logNormal(40, 20_000, 0.3, 6)));
    // 20 calls each: too few alone, enough together
    expect(checkCaptures([b1], current).syscalls[0]!.verdict).toBe('indeterminate');
    const c = checkCaptures([b1, b2], current);
    expect(c).toMatchObject({ baselines: 2, baselineCalls: 40, currentCalls: 40, exitCode: 0 });
    expect(c.syscalls[0]).toMatchObject({ verdict: 'pass', baselineCalls: 40 });
  });

  it('pooled percentiles are those of all the calls', async () => {
    const b1 = await input(callsOf('read', Array<number>(50).fill(1000)));
    const b2 = await input(callsOf('read', Array<number>(50).fill(1500)));
    const d = poolCaptures([b1, b2]).aggregate.syscalls[0]!.distribution;
    expect([d.percentile(0.5), d.percentile(0.51), d.percentile(0.99)]).toEqual([1000, 1500, 1500]);
  });

  it('does not judge a waiting syscall, however much slower', async () => {
    const waits = logNormal(300, 1e6, 0.3, 7);
    const c = checkCaptures([await input(callsOf('epoll_wait', waits))], await input(callsOf('epoll_wait', scaled(waits, 5))));
    expect(c.syscalls[0]).toMatchObject({ name: 'epoll_wait', verdict: 'waiting' });
    // and with nothing else, nothing was judged: the gate cannot say it passed
    expect(c.exitCode).toBe(3);
  });

  it('calls a significantly faster syscall improved', async () => {
    const base = logNormal(300, 40_000, 0.3, 8);
    const c = checkCaptures([await input(callsOf('write', base))], await input(callsOf('write', scaled(logNormal(300, 40_000, 0.3, 9), 0.5))));
    expect(c.syscalls[0]).toMatchObject({ verdict: 'improved' });
    expect(c.syscalls[0]!.p50.improved).toBe(true);
    expect(c.exitCode).toBe(0);
  });

  it('lists syscalls only on one side as new or gone, not regressions', async () => {
    const reads = logNormal(100, 20_000, 0.3, 10);
    const c = checkCaptures([await input([...callsOf('read', reads), ...callsOf('fsync', [1e6, 2e6])])], await input([...callsOf('read', reads), ...callsOf('openat', [5e6])]));
    expect(c.syscalls.map((s) => [s.name, s.verdict])).toEqual([
      ['read', 'pass'],
      ['openat', 'new'],
      ['fsync', 'gone'],
    ]);
    expect(c.exitCode).toBe(0);
  });

  it('orders regressions first and reports the worst exit code', async () => {
    const c = checkCaptures(
      [await input([...callsOf('read', logNormal(300, 20_000, 0.3, 11)), ...callsOf('close', [1000, 1000])])],
      await input([...callsOf('read', scaled(logNormal(300, 20_000, 0.3, 12), 3)), ...callsOf('close', [1000, 1000])]),
    );
    expect(c.syscalls.map((s) => s.verdict)).toEqual(['regressed', 'few-calls']);
    expect(c.exitCode).toBe(1);
  });

  it('does not hold the gate for start-up calls with few calls and little time', async () => {
    const startup = ['execve', 'brk', 'mmap', 'mprotect', 'arch_prctl'].flatMap((name) => callsOf(name, [3000, 4000]));
    const c = checkCaptures(
      [await input([...callsOf('read', logNormal(300, 20_000, 0.3, 13)), ...startup])],
      await input([...callsOf('read', logNormal(300, 20_000, 0.3, 14)), ...startup.map((e) => ({ ...e, durationNs: e.durationNs * 3 }))]),
    );
    expect(c.counts).toMatchObject({ pass: 1, 'few-calls': 5, indeterminate: 0 });
    const mmap = c.syscalls.find((s) => s.name === 'mmap')!;
    expect(mmap.baselineShare!).toBeLessThan(0.1);
    expect(c.exitCode).toBe(0);
  });

  it('holds the gate when a syscall with few calls has much of the time', async () => {
    // 5 fsyncs of 2 ms hold most of the time: too few to judge, too big to ignore
    const c = checkCaptures(
      [await input([...callsOf('read', logNormal(300, 20_000, 0.3, 15)), ...callsOf('fsync', Array<number>(5).fill(2e6))])],
      await input([...callsOf('read', logNormal(300, 20_000, 0.3, 16)), ...callsOf('fsync', Array<number>(5).fill(9e6))]),
    );
    expect(c.syscalls.find((s) => s.name === 'fsync')).toMatchObject({ verdict: 'indeterminate' });
    expect(c.syscalls.find((s) => s.name === 'fsync')!.baselineShare!).toBeGreaterThan(0.5);
    expect(c.exitCode).toBe(3);
  });

  it('fails on a drop of calls per second beyond --max-rate-regression, only when asked', async () => {
    // the same calls over a capture twice as long: half the rate
    const reads = logNormal(300, 20_000, 0.3, 17);
    const base = await input(callsOf('read', reads));
    const slow = { ...(await input(callsOf('read', reads))), durationNs: 4e9 };
    expect(checkCaptures([base], slow).rate).toBeNull();
    expect(checkCaptures([base], slow).exitCode).toBe(0);
    const c = checkCaptures([base], slow, { maxRateRegression: 0.2 });
    expect(c.rate).toMatchObject({ baselinePerSec: 150, currentPerSec: 75, ratio: -0.5, regressed: true });
    expect(c.exitCode).toBe(1);
    expect(checkCaptures([base], slow, { maxRateRegression: 0.6 }).rate!.regressed).toBe(false);
  });

  it('handles empty captures and rejects bad options', async () => {
    const empty = await input([]);
    expect(checkCaptures([empty], empty)).toMatchObject({ syscalls: [], exitCode: 0, baselineCalls: 0 });
    expect(() => checkCaptures([], empty)).toThrow(RangeError);
    expect(() => checkCaptures([empty], empty, { maxP99Regression: -1 })).toThrow(RangeError);
  });
});
