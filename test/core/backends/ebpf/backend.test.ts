// The backend against test/helpers/fake-loader.mjs (the real loader needs root and
// a BPF-capable kernel; test/integration/ covers it).
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { traceWithEbpf, type EbpfBackendOptions } from '../../../../src/core/backends/ebpf/backend.js';
import { STDIN_STOP_GRACE_MS } from '../../../../src/core/backends/ebpf/stop.js';
import { CorruptFrameError, TruncatedFrameError } from '../../../../src/core/wire/frame-errors.js';
import type { TraceRequest } from '../../../../src/core/backends/types.js';
import { BackendError, PermissionError, UsageError } from '../../../../src/core/errors.js';
import type { Profile } from '../../../../src/core/model/profile.js';
import { FAKE_LOADER } from '../../../helpers/fake-loader.js';

const REQUEST: TraceRequest = {
  target: { kind: 'command', argv: ['fake-cmd', 'arg'] },
  follow: true,
  durationSec: null,
  intervalMs: null,
  commandStdout: 'stderr',
};

const saved = process.env['FAKE_SCENARIO'];
afterEach(() => {
  process.env['FAKE_SCENARIO'] = saved;
});

async function trace(scenario: string, onSnapshot?: (p: Profile) => void, extra: EbpfBackendOptions = {}) {
  process.env['FAKE_SCENARIO'] = scenario;
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (d: Buffer) => (text += d.toString()));
  try {
    const profile = await traceWithEbpf(REQUEST, onSnapshot, { loader: FAKE_LOADER, checkPrivileges: false, stderr, ...extra });
    return { profile, error: null as unknown, stderr: text };
  } catch (error) {
    return { profile: null, error, stderr: text };
  }
}

describe('traceWithEbpf with a fake loader', () => {
  it('streams every snapshot and returns the final one', async () => {
    const seen: Array<[boolean, number]> = [];
    const { profile, error, stderr } = await trace('ok', (p) => seen.push([p.final, p.syscalls[0]!.count]));
    expect(error).toBeNull();
    expect(seen).toEqual([
      [false, 1],
      [true, 2],
    ]);
    expect(profile).toMatchObject({ final: true, stopReason: 'target-exit', exit: { kind: 'exited', code: 3 }, durationNs: 1e9 });
    expect(profile!.target).toEqual({ kind: 'command', argv: ['fake-cmd', 'arg'], follow: true });
    // the traced command's stdout went to stderr (no --child-stdout-fd)
    expect(stderr).toBe('child output\n');
  });

  it.each([
    ['usage', UsageError, 'no such process: 999999'],
    ['perm', PermissionError, 'permission denied: loading BPF programs: Operation not permitted'],
    ['fail', BackendError, 'the eBPF loader failed (exit 1): ring buffer poll: Bad address'],
    ['no-final', BackendError, 'the eBPF loader exited without a final snapshot'],
    ['killed', BackendError, 'the eBPF loader was killed by SIGKILL'],
  ])('maps scenario %s to %o with the loader\'s last stderr line', async (scenario, type, message) => {
    const { error, stderr } = await trace(scenario);
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toBe(message);
    // a failure before the header: the error repeats the loader's line, which is not forwarded too;
    // after it, the loader's lines were already forwarded as they came
    if (scenario === 'usage' || scenario === 'perm') expect(stderr).toBe('');
    if (scenario === 'fail') expect(stderr).toMatch(/^syscall-prof-loader: /);
  });

  it('reports a truncated stream', async () => {
    const { error } = await trace('truncated');
    expect(error).toBeInstanceOf(TruncatedFrameError);
    expect((error as Error).message).toMatch(/^loader stdout: truncated frame at byte offset \d+: expected \d+ bytes, got 6$/);
  });

  it('stops the loader on a corrupt frame instead of waiting for it', async () => {
    const started = Date.now();
    const { error } = await trace('corrupt');
    expect(error).toBeInstanceOf(CorruptFrameError);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  // how an abort reaches the loader: [stop channel, scenario, what stopped it, within ms, at least ms]
  it.each<[string, boolean, string, string, number, number]>([
    ['SIGTERM without the stop channel', false, 'wait-signal', 'SIGTERM', STDIN_STOP_GRACE_MS, 0],
    ['EOF on stdin with --stop-on-stdin-eof', true, 'wait-signal', 'stdin EOF', STDIN_STOP_GRACE_MS, 0],
    ['SIGTERM after the grace time when the loader ignores the EOF', true, 'deaf-stdin', 'SIGTERM', STDIN_STOP_GRACE_MS + 3000, STDIN_STOP_GRACE_MS - 100],
  ])('stops the loader on abort (%s) and returns its final snapshot', async (_name, stopOnStdinEof, scenario, stoppedBy, within, atLeast) => {
    const stop = new AbortController();
    const before = ['SIGINT', 'SIGTERM'].map((s) => process.listenerCount(s));
    let abortedAt = 0;
    const { profile, error, stderr } = await trace(
      scenario,
      (p) => {
        if (p.final) return;
        abortedAt = Date.now();
        stop.abort();
      },
      { signal: stop.signal, stopOnStdinEof },
    );
    const took = Date.now() - abortedAt;
    expect(error).toBeNull();
    expect(profile).toMatchObject({ final: true, stopReason: 'signal' });
    expect(stderr).toBe(`stopped by ${stoppedBy}\n`);
    expect(took).toBeLessThan(within);
    expect(took).toBeGreaterThanOrEqual(atLeast);
    // no process-wide handler is left behind
    expect(['SIGINT', 'SIGTERM'].map((s) => process.listenerCount(s))).toEqual(before);
  });

  it('does not start the loader for a signal aborted already', async () => {
    const stop = new AbortController();
    stop.abort(new Error('stopped before the start'));
    const { error, stderr } = await trace('ok', undefined, { signal: stop.signal });
    expect((error as Error).message).toBe('stopped before the start');
    expect(stderr).toBe('');
  });

  it('says how to build a missing loader', async () => {
    await expect(traceWithEbpf(REQUEST, undefined, { loader: '/nonexistent/loader', checkPrivileges: false })).rejects.toThrow(
      'the eBPF loader /nonexistent/loader is missing or not executable: run `make build`',
    );
  });
});
