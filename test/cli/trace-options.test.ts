import { describe, expect, it } from 'vitest';
import { planTrace, type TraceFlags } from '../../src/cli/trace-options.js';
import { UsageError } from '../../src/errors.js';

const F: TraceFlags = { backend: 'auto' };

describe('planTrace', () => {
  it('follows children of commands by default, not of pids', () => {
    expect(planTrace(F, ['ls', '-l']).request).toMatchObject({ target: { kind: 'command', argv: ['ls', '-l'] }, follow: true });
    expect(planTrace({ ...F, pid: [5, 5, 6] }, []).request).toMatchObject({ target: { kind: 'pids', pids: [5, 6] }, follow: false });
    expect(planTrace({ ...F, pid: [5], follow: true }, []).request.follow).toBe(true);
    expect(planTrace({ ...F, follow: false }, ['ls']).request.follow).toBe(false);
  });

  it('runs --command through /bin/sh -c', () => {
    expect(planTrace({ ...F, command: 'make -j8 | tee log' }, []).request.target).toEqual({
      kind: 'command',
      argv: ['/bin/sh', '-c', 'make -j8 | tee log'],
    });
  });

  it('sends the command stdout to stderr with --json only', () => {
    expect(planTrace(F, ['ls']).request.commandStdout).toBe('inherit');
    expect(planTrace({ ...F, json: true }, ['ls'])).toMatchObject({ json: true, request: { commandStdout: 'stderr' } });
  });

  it('passes duration, interval and top through', () => {
    const plan = planTrace({ ...F, all: true, duration: 1.5, interval: 200, top: 3 }, []);
    expect(plan).toMatchObject({ top: 3, request: { target: { kind: 'all' }, durationSec: 1.5, intervalMs: 200 } });
  });

  it.each<[string, TraceFlags, string[], RegExp]>([
    ['no target', F, [], /nothing to trace/],
    ['two targets', { ...F, all: true, duration: 1 }, ['ls'], /only one of/],
    ['--all without duration', { ...F, all: true }, [], /--all needs --duration/],
    ['--follow with --all', { ...F, all: true, duration: 1, follow: true }, [], /do not apply to --all/],
    ['blank --command', { ...F, command: '  ' }, [], /non-empty/],
    ['--output', { ...F, output: 'x' }, ['ls'], /not yet supported/],
  ])('rejects %s', (_name, flags, operands, message) => {
    expect(() => planTrace(flags, operands)).toThrow(UsageError);
    expect(() => planTrace(flags, operands)).toThrow(message);
  });
});
