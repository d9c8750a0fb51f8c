import { describe, expect, it } from 'vitest';
import { parseInterval, planLive, type LiveFlags } from '../../src/cli/live-options.js';
import { UsageError } from '../../src/core/errors.js';
import { DEFAULT_ANOMALY_OPTIONS } from '../../src/core/analysis/anomaly.js';

const base: LiveFlags = { backend: 'ebpf' };

describe('parseInterval', () => {
  it.each([
    ['1', 1000],
    ['500ms', 500],
    ['2s', 2000],
    ['0.5', 500],
    ['1.5s', 1500],
  ])('%s -> %i ms', (text, ms) => {
    expect(parseInterval(text)).toBe(ms);
  });

  it.each(['', 'fast', '5ms', '-1', '2h', '7200'])('rejects %j', (text) => {
    expect(() => parseInterval(text)).toThrow(/interval/);
  });
});

describe('planLive', () => {
  it('watches the whole system by default, in batch mode when not on a terminal', () => {
    const plan = planLive(base, [], false);
    expect(plan.request.target).toEqual({ kind: 'all' });
    expect([plan.mode, plan.intervalMs, plan.top]).toEqual(['batch', 1000, 20]);
    expect(planLive(base, [], true).mode).toBe('tui');
    expect(planLive({ ...base, json: true }, [], true).mode).toBe('json');
  });

  it.each<[string, LiveFlags, readonly string[], RegExp]>([
    ['strace', { backend: 'strace' }, [], /only the ebpf backend streams snapshots/],
    ['two targets', { ...base, pid: [1], command: 'ls' }, [], /only one of/],
    ['csv output', { ...base, output: 'x.csv' }, [], /\.spb/],
    ['batch and json', { ...base, batch: true, json: true }, [], /only one of --batch and --json/],
    ['bad cgroup', { ...base, cgroup: '/nonexistent/cg' }, [], /not a cgroup v2 directory/],
    ['empty command', { ...base, command: ' ' }, [], /non-empty/],
    ['follow for all', { ...base, follow: true }, [], /do not apply/],
    ['sampling with events', { ...base, sample: 16, events: true }, [], /--sample cannot be combined with --events/],
    ['an overhead budget with events', { ...base, maxOverhead: 1, events: true }, [], /--max-overhead cannot be combined with --events/],
  ])('rejects %s', (_name, flags, operands, message) => {
    expect(() => planLive(flags, operands, false)).toThrow(UsageError);
    expect(() => planLive(flags, operands, false)).toThrow(message);
  });

  it('passes --max-overhead to the loader as a budget, from --sample when given', () => {
    expect(planLive({ ...base, maxOverhead: 0.5 }, [], false).request.maxOverheadPct).toBe(0.5);
    const both = planLive({ ...base, maxOverhead: 2, sample: 4 }, [], false).request;
    expect([both.maxOverheadPct, both.samplePeriod]).toEqual([2, 4]);
    expect(planLive(base, [], false).request.maxOverheadPct).toBeUndefined();
  });

  it('asks the loader to time 1 call in N with --sample N', () => {
    expect(planLive({ ...base, sample: 16 }, [], false).request.samplePeriod).toBe(16);
    expect(planLive(base, [], false).request.samplePeriod).toBeUndefined();
  });

  it('detects anomalies unless --no-anomalies, with the --anomaly-* options', () => {
    expect(planLive(base, [], false).anomalies).toEqual(DEFAULT_ANOMALY_OPTIONS);
    expect(planLive({ ...base, anomalyFactor: 4, anomalyBy: 'syscall' }, [], false).anomalies).toEqual({ ...DEFAULT_ANOMALY_OPTIONS, factor: 4, by: 'syscall' });
    expect(planLive({ ...base, anomalies: false }, [], false).anomalies).toBeNull();
  });

  it('runs a command after -- and follows its children', () => {
    const plan = planLive({ ...base, events: true, output: 'a.spb' }, ['ls', '-l'], false);
    expect(plan.request).toMatchObject({ target: { kind: 'command', argv: ['ls', '-l'] }, follow: true, events: true, commandStdout: 'stderr' });
    expect(plan.output).toBe('a.spb');
    // a capture keeps every process; a plain session evicts exited ones
    expect(plan.request.evictExited).toBeUndefined();
    expect(planLive({ ...base }, ['ls'], false).request.evictExited).toBe(true);
  });

  it('sets waits apart unless --include-waits', () => {
    expect(planLive(base, [], false).includeWaits).toBe(false);
    expect(planLive({ ...base, includeWaits: true }, [], true).includeWaits).toBe(true);
  });

  it('warns that the thread view needs --events', () => {
    expect(planLive({ ...base, view: 'thread' }, [], false).warnings[0]).toMatch(/needs --events/);
  });
});
