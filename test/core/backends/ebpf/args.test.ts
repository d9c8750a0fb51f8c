import { describe, expect, it } from 'vitest';
import { LOADER_STOPS_ON_STDIN_EOF, loaderArgs, stopChannelArgs, syscallNumbers } from '../../../../src/core/backends/ebpf/args.js';
import { hostArch, type EbpfTraceRequest } from '../../../../src/core/backends/ebpf/request.js';
import type { TraceRequest } from '../../../../src/core/backends/types.js';
import { UsageError } from '../../../../src/core/errors.js';

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
    ['no on/off-CPU split', { target: { kind: 'command', argv: ['true'] }, commandStdout: 'stderr', offcpu: false } as Partial<EbpfTraceRequest>, ['--no-offcpu', '--', 'true']],
    ['exited processes evicted', { target: { kind: 'command', argv: ['true'] }, commandStdout: 'stderr', evictExited: true } as Partial<EbpfTraceRequest>, ['--evict-exited', '--', 'true']],
    ['the split asked for explicitly is the default', { target: { kind: 'command', argv: ['true'] }, commandStdout: 'stderr', offcpu: true } as Partial<EbpfTraceRequest>, ['--', 'true']],
  ])('%s', (_name, overrides, expected) => {
    expect(loaderArgs({ ...BASE, ...overrides })).toEqual(expected);
  });
});

describe('stopChannelArgs', () => {
  it('asks the loader to stop on EOF on stdin only when it has the flag', () => {
    expect(stopChannelArgs(true)).toEqual(['--stop-on-stdin-eof']);
    expect(stopChannelArgs(false)).toEqual([]);
    expect(stopChannelArgs()).toEqual(stopChannelArgs(LOADER_STOPS_ON_STDIN_EOF));
  });
});

describe('loaderArgs in event mode', () => {
  const CMD: EbpfTraceRequest = { ...BASE, target: { kind: 'command', argv: ['./db'] }, commandStdout: 'stderr' };
  it.each<[string, Partial<EbpfTraceRequest>, string[]]>([
    ['events only', { events: true }, ['--events', '--', './db']],
    [
      'every filter, names to sorted unique numbers',
      { events: true, syscalls: ['fsync', 'read', 'write', 'read', 'syscall_450'], minDurationNs: 100_000, failedOnly: true, ringbufMb: 64 },
      ['--events', '--syscalls', '0,1,74,450', '--min-duration', '100000', '--failed', '--ringbuf-mb', '64', '--', './db'],
    ],
    ['numbers pass through', { events: true, syscalls: ['0', '74'] }, ['--events', '--syscalls', '0,74', '--', './db']],
    ['a sample period', { samplePeriod: 16 }, ['--sample', '16', '--', './db']],
    ['a sample period of 1 is every call', { samplePeriod: 1 }, ['--', './db']],
    ['an overhead budget', { maxOverheadPct: 0.5 }, ['--max-overhead', '0.5', '--', './db']],
    ['an overhead budget from a sample period', { maxOverheadPct: 2, samplePeriod: 4 }, ['--max-overhead', '2', '--sample', '4', '--', './db']],
    ['zero minimum is no filter', { events: true, minDurationNs: 0, failedOnly: false, syscalls: null, ringbufMb: null }, ['--events', '--', './db']],
  ])('%s', (_name, overrides, expected) => {
    expect(loaderArgs({ ...CMD, ...overrides }, 'x86_64')).toEqual(expected);
  });

  it.each<[string, Partial<EbpfTraceRequest>, string]>([
    ['an unknown syscall', { events: true, syscalls: ['read', 'frobnicate'] }, 'unknown syscall "frobnicate" for x86_64'],
    ['an empty syscall filter', { events: true, syscalls: [] }, 'the syscall filter is empty'],
    ['a ring buffer that is not a power of two', { events: true, ringbufMb: 48 }, 'ring buffer size 48 MiB is not a power of two from 1 to 1024'],
    ['a ring buffer too large', { events: true, ringbufMb: 2048 }, 'ring buffer size 2048 MiB is not a power of two from 1 to 1024'],
    ['a fractional minimum', { events: true, minDurationNs: 1.5 }, 'minimum duration 1.5 ns is not a whole number of ns >= 0'],
    ['filters without event mode', { failedOnly: true }, 'event filters (syscalls, minimum duration, failed only, ring buffer size) need event mode'],
    ['a sample period in event mode', { events: true, samplePeriod: 16 }, '--sample cannot be combined with event mode (--output records every call)'],
    ['an overhead budget in event mode', { events: true, maxOverheadPct: 1 }, '--max-overhead cannot be combined with event mode (--output records every call)'],
    ['an overhead budget of 0', { maxOverheadPct: 0 }, 'overhead budget 0% is not from 0.01 to 100'],
    ['a sample period of 0', { samplePeriod: 0 }, 'sample period 0 is not a whole number from 1 to 65536'],
    ['a fractional sample period', { samplePeriod: 2.5 }, 'sample period 2.5 is not a whole number from 1 to 65536'],
  ])('rejects %s with a UsageError', (_name, overrides, message) => {
    expect(() => loaderArgs({ ...CMD, ...overrides }, 'x86_64')).toThrow(UsageError);
    expect(() => loaderArgs({ ...CMD, ...overrides }, 'x86_64')).toThrow(message);
  });

  it('maps syscall names on the host architecture by default', () => {
    expect(syscallNumbers(['read', 'write'], hostArch('x64'))).toEqual([0, 1]);
    expect(() => syscallNumbers(['read'], hostArch('riscv64'))).toThrow('unknown syscall "read" for riscv64');
  });
});

describe('loaderArgs with stacks', () => {
  const CMD: EbpfTraceRequest = { ...BASE, target: { kind: 'command', argv: ['./db'] }, commandStdout: 'stderr' };
  it.each<[string, EbpfTraceRequest['stacks'], string[]]>([
    ['defaults', {}, ['--stacks', '--', './db']],
    ['every option', { minNs: 5000, stackBytes: 0, perCpuPerSec: 50, kernel: true }, ['--stacks', '--stacks-min', '5000', '--stack-bytes', '0', '--stacks-rate', '50', '--kernel-stacks', '--', './db']],
  ])('%s', (_name, stacks, expected) => {
    expect(loaderArgs({ ...CMD, stacks })).toEqual(expected);
  });

  it.each<[string, EbpfTraceRequest['stacks']]>([
    ['threshold 0', { minNs: 0 }],
    ['too many bytes', { stackBytes: 32769 }],
    ['fractional rate', { perCpuPerSec: 1.5 }],
  ])('refuses %s', (_name, stacks) => {
    expect(() => loaderArgs({ ...CMD, stacks })).toThrow(UsageError);
  });
});
