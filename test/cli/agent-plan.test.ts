import { describe, expect, it } from 'vitest';
import { AGENT_INTERVAL_MS, planAgent, type AgentFlags } from '../../src/cli/agent-plan.js';
import { UsageError } from '../../src/core/errors.js';
import { DEFAULT_ANOMALY_OPTIONS } from '../../src/core/analysis/anomaly.js';

const P: AgentFlags = { prometheus: { host: '127.0.0.1', port: 9464 } };

describe('planAgent', () => {
  it.each<[string, AgentFlags, object]>([
    ['the whole system by default', P, { target: { kind: 'all' }, follow: false, durationSec: null, intervalMs: AGENT_INTERVAL_MS, evictExited: true }],
    ['pids, without children unless asked', { ...P, pid: [3, 3, 4] }, { target: { kind: 'pids', pids: [3, 4] }, follow: false }],
    ['pids with children', { ...P, pid: [3], follow: true }, { follow: true }],
    ['a cgroup', { ...P, cgroup: '/sys/fs/cgroup/unified/x' }, { target: { kind: 'cgroup', path: '/sys/fs/cgroup/unified/x' } }],
    ['interval and duration', { ...P, interval: 250, duration: 3 }, { intervalMs: 250, durationSec: 3 }],
    ['only OTLP', { otlp: 'http://127.0.0.1:4318/v1/metrics' }, { target: { kind: 'all' } }],
    ['a sample period', { ...P, sample: 16 }, { samplePeriod: 16 }],
  ])('%s', (_what, flags, request) => {
    expect(planAgent(flags).request).toMatchObject(request);
  });

  it('times every call without --sample, or with --sample 1', () => {
    expect(planAgent(P).request.samplePeriod).toBeUndefined();
    expect(planAgent({ ...P, sample: 1 }).request.samplePeriod).toBeUndefined();
  });

  it('passes the exporter options through', () => {
    const plan = planAgent({ ...P, otlp: 'http://x/v1/metrics', otlpInterval: 500, labels: ['syscall', 'comm'], maxSeries: 7 });
    expect(plan.exports).toEqual({ ...P, otlp: 'http://x/v1/metrics', otlpInterval: 500, labels: ['syscall', 'comm'], maxSeries: 7 });
  });

  it.each<[string, AgentFlags, RegExp]>([
    ['no exporter', {}, /--prometheus HOST:PORT and\/or --otlp URL/],
    ['two targets', { ...P, pid: [1], cgroup: '/sys/fs/cgroup/x' }, /only one of --pid, --cgroup and --all/],
    ['pids and --all', { ...P, pid: [1], all: true }, /only one of/],
    ['--follow with the whole system', { ...P, follow: true }, /do not apply to the whole system/],
    ['an empty cgroup', { ...P, cgroup: ' ' }, /--cgroup needs/],
  ])('rejects %s', (_what, flags, message) => {
    expect(() => planAgent(flags)).toThrow(UsageError);
    expect(() => planAgent(flags)).toThrow(message);
  });
});

describe('planAgent, anomaly options', () => {
  it('detects anomalies by default, with the defaults', () => {
    const plan = planAgent(P);
    expect(plan.anomalies).toEqual(DEFAULT_ANOMALY_OPTIONS);
    expect(plan.capture).toBeNull();
    expect(plan.request.events).toBeUndefined();
  });

  it('takes the --anomaly-* options, and --no-anomalies turns detection off', () => {
    const plan = planAgent({ ...P, anomalyBy: 'syscall', anomalyFactor: 5, anomalySustain: 2, anomalyWarmup: 30, anomalyMinCalls: 50, anomalyKinds: ['p99', 'rate'] });
    expect(plan.anomalies).toEqual({ ...DEFAULT_ANOMALY_OPTIONS, by: 'syscall', factor: 5, sustain: 2, warmup: 30, minCalls: 50, kinds: ['p99', 'rate'] });
    expect(planAgent({ ...P, anomalies: false }).anomalies).toBeNull();
  });

  it('runs event mode with a minimum duration for --on-anomaly-capture', () => {
    const plan = planAgent({ ...P, onAnomalyCapture: '/tmp/a.spb' });
    expect(plan.capture).toEqual({ path: '/tmp/a.spb', windowMs: 30_000, maxEvents: 100_000, minDurationNs: 100_000, maxFiles: 20, overwrite: false });
    expect(plan.request).toMatchObject({ events: true, minDurationNs: 100_000 });
    // 0: every call
    const all = planAgent({ ...P, onAnomalyCapture: '/tmp/a.spb', anomalyCaptureMinDuration: 0, anomalyCaptureWindow: 2.5 });
    expect(all.request.minDurationNs).toBeUndefined();
    expect(all.capture?.windowMs).toBe(2500);
  });

  it.each<[string, AgentFlags, RegExp]>([
    ['a capture with sampling', { ...P, onAnomalyCapture: '/tmp/a.spb', sample: 8 }, /drop --sample/],
    ['a capture without detection', { ...P, onAnomalyCapture: '/tmp/a.spb', anomalies: false }, /drop --no-anomalies/],
    ['a capture that is not .spb', { ...P, onAnomalyCapture: '/tmp/a.csv' }, /writes \.spb captures/],
    ['capture options without a capture', { ...P, anomalyCaptureWindow: 5 }, /need --on-anomaly-capture/],
    ['an unknown grouping', { ...P, anomalyBy: 'thread' }, /syscall or process/],
    ['a log without detection', { ...P, anomalyLog: '/tmp/x.log', anomalies: false }, /drop --no-anomalies/],
  ])('rejects %s', (_what, flags, message) => {
    expect(() => planAgent(flags)).toThrow(UsageError);
    expect(() => planAgent(flags)).toThrow(message);
  });
});
