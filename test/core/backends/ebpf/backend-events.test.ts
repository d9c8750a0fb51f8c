// The backend in event mode against test/core/backends/ebpf/stream-loader.mjs, which
// plays back a frame stream the test built (the real loader needs root and a
// BPF-capable kernel; test/integration/ covers it).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { traceWithEbpf, type EbpfBackendOptions } from '../../../../src/core/backends/ebpf/backend.js';
import type { EventChunk, StreamStart } from '../../../../src/core/wire/event-types.js';
import type { EbpfTraceRequest } from '../../../../src/core/backends/ebpf/request.js';
import { InvalidFrameError } from '../../../../src/core/wire/frame-errors.js';
import { encodeStream } from '../../../helpers/frames.js';
import { scratchDir } from '../../capture/capture-helpers.js';
import { eventHeader, eventsFrame, eventStream } from '../../capture/event-frames.js';
import { stopChannelArgs } from '../../../../src/core/backends/ebpf/args.js';

const LOADER = fileURLToPath(new URL('./stream-loader.mjs', import.meta.url));
const REQUEST: EbpfTraceRequest = {
  target: { kind: 'command', argv: ['./app'] },
  follow: true,
  durationSec: null,
  intervalMs: null,
  commandStdout: 'stderr',
  events: true,
  syscalls: ['read', 'openat'],
  ringbufMb: 32,
};

const saved = { ...process.env };
afterEach(() => {
  for (const key of ['STREAM_FILE', 'STREAM_ARGV_FILE', 'STREAM_EXIT', 'STREAM_STDERR']) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

// plays `stream` through the backend; returns what the callbacks saw
async function play(stream: Buffer, options: EbpfBackendOptions = {}) {
  const dir = scratchDir();
  process.env['STREAM_FILE'] = join(dir, 'stream.spb');
  process.env['STREAM_ARGV_FILE'] = join(dir, 'argv.json');
  writeFileSync(process.env['STREAM_FILE'], stream);
  const chunks: EventChunk[] = [];
  const raw: Buffer[] = [];
  let start: StreamStart | null = null;
  const profile = await traceWithEbpf(REQUEST, undefined, {
    loader: LOADER,
    checkPrivileges: false,
    stderr: new PassThrough(),
    onEvents: (c) => chunks.push(c),
    onRawChunk: (c) => raw.push(Buffer.from(c)),
    onStart: (s) => (start = s),
    ...options,
  });
  const argv = JSON.parse(readFileSync(process.env['STREAM_ARGV_FILE'], 'utf8')) as string[];
  return { profile, chunks, raw: Buffer.concat(raw), start: start as StreamStart | null, argv };
}

describe('traceWithEbpf in event mode', () => {
  const stream = eventStream(
    [eventsFrame([{ at: 10, nr: 257, ret: 3, path: '/etc/hosts' }, { at: 20, nr: 0, ret: 5, args: [3] }], [{ kind: 3, at: 0, pid: 4242, comm: 'app' }]), eventsFrame([{ at: 30, nr: 3, args: [3] }])],
    { health: { lostEvents: 9 } },
    { eventSyscalls: [0, 257], ringbufBytes: 32 << 20 },
  );

  it('asks the loader for events with the filters, and streams batches, raw bytes and the start', async () => {
    const { profile, chunks, raw, start, argv } = await play(stream);
    expect(argv).toEqual([...stopChannelArgs(), '--follow', '--events', '--syscalls', '0,257', '--ringbuf-mb', '32', '--', './app']);
    expect(chunks.map((c) => c.batch.rows().map((r) => `${r.comm} ${r.syscall} ${r.ret} ${r.path ?? '-'}`))).toEqual([
      ['app openat 3 /etc/hosts', 'app read 5 -'],
      ['app close 0 -'],
    ]);
    // byte for byte what the loader wrote: an spb capture copies this
    expect(raw.equals(stream)).toBe(true);
    expect(start).toMatchObject({ arch: 'x86_64', events: true, ringbufBytes: 32 << 20, filters: { syscalls: ['read', 'openat'], minDurationNs: 0, failedOnly: false } });
    expect(profile.health.lostEvents).toBe(9);
  });

  it('stops the trace with the listener\'s error', async () => {
    const err = await play(stream, {
      onEvents: () => {
        throw new Error('disk full');
      },
    }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('disk full');
  });

  it('rejects a bad event batch from the loader as an input error', async () => {
    const bad = Buffer.concat([encodeStream([eventHeader()]), eventsFrame([{ at: 1, nr: 5000 }])]);
    const err = await play(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidFrameError);
    expect((err as Error).message).toMatch(/^loader stdout: invalid frame at byte offset \d+: row 0 has syscall nr 5000$/);
  });
});
