import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planTrace, type TraceFlags } from '../../src/cli/trace-options.js';
import { UsageError } from '../../src/core/errors.js';

const F: TraceFlags = { backend: 'auto' };

describe('planTrace', () => {
  it('follows children of commands by default, not of pids', () => {
    expect(planTrace(F, ['ls', '-l']).request).toMatchObject({ target: { kind: 'command', argv: ['ls', '-l'] }, follow: true });
    expect(planTrace({ ...F, pid: [5, 5, 6] }, []).request).toMatchObject({ target: { kind: 'pids', pids: [5, 6] }, follow: false });
    expect(planTrace({ ...F, pid: [5], follow: true }, []).request.follow).toBe(true);
    expect(planTrace({ ...F, follow: false }, ['ls']).request.follow).toBe(false);
  });

  it('runs --command through /bin/sh -c only when it has shell syntax', () => {
    expect(planTrace({ ...F, command: 'make -j8 | tee log' }, []).request.target).toEqual({
      kind: 'command',
      argv: ['/bin/sh', '-c', 'make -j8 | tee log'],
    });
    expect(planTrace({ ...F, command: './cpu 1' }, []).request.target).toEqual({ kind: 'command', argv: ['./cpu', '1'] });
  });

  it('sends the command stdout to stderr with --json only', () => {
    expect(planTrace(F, ['ls']).request.commandStdout).toBe('inherit');
    expect(planTrace({ ...F, json: true }, ['ls'])).toMatchObject({ json: true, request: { commandStdout: 'stderr' } });
  });

  it('times 1 call in N with --sample N (aggregate mode), every call with 1', () => {
    expect(planTrace({ ...F, sample: 16 }, ['ls']).request.samplePeriod).toBe(16);
    expect(planTrace({ ...F, sample: 1 }, ['ls']).request.samplePeriod).toBeUndefined();
    expect(() => planTrace({ ...F, sample: 16, output: 'x.spb' }, ['ls'])).toThrow('--sample cannot be combined with --output');
    expect(() => planTrace({ ...F, sample: 16, backend: 'perf' }, ['ls'])).toThrow(UsageError);
  });

  it('asks the eBPF backend for stacks with --stacks and its options, in both modes', () => {
    expect(planTrace({ ...F }, ['ls']).request.stacks).toBeUndefined();
    expect(planTrace({ ...F, stacks: true }, ['ls']).request.stacks).toEqual({});
    expect(planTrace({ ...F, stacks: true, stacksMin: 2e6, stackBytes: 8192, stacksRate: 50, kernelStacks: true, output: 'x.csv' }, ['ls']).request).toMatchObject({
      events: true,
      stacks: { minNs: 2e6, stackBytes: 8192, perCpuPerSec: 50, kernel: true },
    });
  });

  it('passes duration, interval and top through', () => {
    const plan = planTrace({ ...F, all: true, duration: 1.5, interval: 200, top: 3 }, []);
    expect(plan).toMatchObject({ top: 3, request: { target: { kind: 'all' }, durationSec: 1.5, intervalMs: 200 } });
  });

  it('traces a cgroup directory, every process in it, until --duration or Ctrl-C', () => {
    const dir = mkdtempSync(join(tmpdir(), 'syscall-prof-cg-'));
    expect(planTrace({ ...F, cgroup: dir }, []).request).toMatchObject({ target: { kind: 'cgroup', path: dir }, durationSec: null });
  });

  it.each<[string, TraceFlags, string[], RegExp]>([
    ['no target', F, [], /nothing to trace/],
    ['a --cgroup that is not a directory', { ...F, cgroup: '/nonexistent/cgroup' }, [], /--cgroup \/nonexistent\/cgroup is not a cgroup v2 directory/],
    ['--follow with --cgroup', { ...F, cgroup: '/tmp', follow: true }, [], /do not apply to --cgroup/],
    ['--cgroup with a command', { ...F, cgroup: '/tmp' }, ['ls'], /only one of/],
    ['two targets', { ...F, all: true, duration: 1 }, ['ls'], /only one of/],
    ['--all without duration', { ...F, all: true }, [], /--all needs --duration/],
    ['--follow with --all', { ...F, all: true, duration: 1, follow: true }, [], /do not apply to --all/],
    ['blank --command', { ...F, command: '  ' }, [], /non-empty/],
    ['--format without --output', { ...F, format: 'csv' }, ['ls'], /^--format needs --output FILE/],
    ['--syscalls without --output', { ...F, syscalls: ['read'] }, ['ls'], /^--syscalls needs --output FILE/],
    ['--min-duration without --output', { ...F, minDuration: 5 }, ['ls'], /^--min-duration needs --output FILE/],
    ['--failed without --output', { ...F, failed: true }, ['ls'], /^--failed needs --output FILE/],
    ['--ringbuf-mb without --output', { ...F, ringbufMb: 64 }, ['ls'], /^--ringbuf-mb needs --output FILE/],
    ['an unknown syscall', { ...F, output: 'x.csv', syscalls: ['read', 'frobnicate'] }, ['ls'], /^unknown syscall "frobnicate" for x86_64$/],
    ['an empty --output', { ...F, output: '' }, ['ls'], /needs a file name/],
    ['--stacks-min without --stacks', { ...F, stacksMin: 5 }, ['ls'], /^--stacks-min needs --stacks$/],
    ['--kernel-stacks without --stacks', { ...F, kernelStacks: true }, ['ls'], /^--kernel-stacks needs --stacks$/],
    ['--stacks with strace', { ...F, stacks: true, backend: 'strace' }, ['ls'], /--stacks needs the ebpf backend \(strace/],
  ])('rejects %s', (_name, flags, operands, message) => {
    expect(() => planTrace(flags, operands, 'x86_64')).toThrow(UsageError);
    expect(() => planTrace(flags, operands, 'x86_64')).toThrow(message);
  });
});

describe('planTrace with --output', () => {
  it.each<[string, TraceFlags, { path: string; format: string }]>([
    ['csv by extension', { ...F, output: 'a.csv' }, { path: 'a.csv', format: 'csv' }],
    ['jsonl by extension', { ...F, output: 'a.jsonl' }, { path: 'a.jsonl', format: 'jsonl' }],
    ['spb by extension', { ...F, output: 'run.spb' }, { path: 'run.spb', format: 'spb' }],
    ['csv without a known extension', { ...F, output: 'trace.out' }, { path: 'trace.out', format: 'csv' }],
    ['--format over the extension', { ...F, output: 'a.csv', format: 'jsonl' }, { path: 'a.csv', format: 'jsonl' }],
  ])('%s', (_name, flags, capture) => {
    expect(planTrace(flags, ['ls'], 'x86_64').capture).toEqual(capture);
  });

  it('turns on event mode with the filters', () => {
    const plan = planTrace({ ...F, output: 'x.csv', syscalls: ['read', 'fsync'], minDuration: 100_000, failed: true, ringbufMb: 64 }, ['./db'], 'x86_64');
    expect(plan.request).toMatchObject({ events: true, syscalls: ['read', 'fsync'], minDurationNs: 100_000, failedOnly: true, ringbufMb: 64 });
    expect(planTrace(F, ['ls']).request).not.toHaveProperty('events');
    expect(planTrace(F, ['ls']).capture).toBeNull();
  });

  it('warns when --output went to the command after --', () => {
    expect(planTrace(F, ['ls', '--output', 'x.csv']).warnings).toEqual([
      'note: "--output" after "--" is an argument of the traced command; put syscall-prof options before "--"',
    ]);
    expect(planTrace({ ...F, output: 'y.csv' }, ['cp', '--output', 'x'], 'x86_64').warnings).toEqual([]);
    expect(planTrace(F, ['gcc', '-o', 'x']).warnings).toEqual([]);
  });
});
