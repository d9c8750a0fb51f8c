import { describe, expect, it } from 'vitest';
import { AGENT_INTERVAL_MS, planAgent, type AgentFlags } from '../../src/cli/agent-plan.js';
import { UsageError } from '../../src/core/errors.js';

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
