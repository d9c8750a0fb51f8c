import { describe, expect, it } from 'vitest';
import { loaderArgs } from '../../../src/backends/ebpf/args.js';
import type { TraceRequest } from '../../../src/backends/types.js';

const BASE: TraceRequest = { target: { kind: 'all' }, follow: false, durationSec: null, intervalMs: null, commandStdout: 'inherit' };

describe('loaderArgs', () => {
  it.each<[string, Partial<TraceRequest>, string[]]>([
    ['whole system for 5 s', { durationSec: 5 }, ['--all', '--exclude-pid', String(process.pid), '--duration', '5']],
    ['pids, no follow', { target: { kind: 'pids', pids: [12, 34] }, intervalMs: 250 }, ['--pid', '12', '--pid', '34', '--interval', '250']],
    ['pid with follow', { target: { kind: 'pids', pids: [1] }, follow: true, durationSec: 1.5 }, ['--pid', '1', '--follow', '--duration', '1.5']],
    ['cgroup', { target: { kind: 'cgroup', path: '/sys/fs/cgroup/x' } }, ['--exclude-pid', String(process.pid), '--cgroup', '/sys/fs/cgroup/x']],
    [
      'command, stdout passed on fd 3',
      { target: { kind: 'command', argv: ['ls', '-l', '--', 'x'] }, follow: true },
      ['--follow', '--child-stdout-fd', '3', '--', 'ls', '-l', '--', 'x'],
    ],
    ['command, stdout to stderr', { target: { kind: 'command', argv: ['true'] }, commandStdout: 'stderr' }, ['--', 'true']],
  ])('%s', (_name, overrides, expected) => {
    expect(loaderArgs({ ...BASE, ...overrides })).toEqual(expected);
  });
});
