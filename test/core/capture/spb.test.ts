import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CorruptFrameError, InvalidFrameError, TruncatedFrameError } from '../../../src/core/wire/frame-errors.js';
import { InputError } from '../../../src/core/errors.js';
import { encodeStream, headerFrame, snapshotFrame } from '../../helpers/frames.js';
import { fileWith, readCapture, rejection } from './capture-helpers.js';
import { eventHeader, eventsFrame, eventStream } from './event-frames.js';

// openat("/etc/hosts") = 3, read(3), close(3), in process 4242 "cat" and a forked child
const STREAM = eventStream(
  [
    eventsFrame(
      [
        { at: 100, nr: 257, ret: 3, args: [0xffffff9c, 0x1000, 0], path: '/etc/hosts' },
        { at: 200, nr: 0, ret: 42, args: [3, 0x7ffd0000, 4096], pos: 0 },
      ],
      [{ kind: 3, at: 0, pid: 4242, comm: 'cat' }],
    ),
    eventsFrame(
      [
        { at: 400, pid: 4300, nr: 0, ret: 0, args: [3, 0x7ffd0000, 4096], pos: 42 },
        { at: 500, nr: 3, args: [3] },
        { at: 600, nr: 0, ret: -9, args: [3] },
      ],
      [{ kind: 0, at: 300, pid: 4242, child: 4300, comm: 'cat' }],
    ),
  ],
  { monoNs: 3_000_000_000, health: { lostEvents: 7 } },
);

describe('spb event captures', () => {
  it('reads rows with comms from process events and paths from fd tracking', async () => {
    const { events, meta, end } = await readCapture(fileWith('cat.spb', STREAM));
    expect(events.map((e) => [e.startNs, e.pid, e.comm, e.syscall, e.ret, e.pos, e.path])).toEqual([
      [100, 4242, 'cat', 'openat', 3, null, '/etc/hosts'],
      [200, 4242, 'cat', 'read', 42, 0, '/etc/hosts'],
      [400, 4300, 'cat', 'read', 0, 42, '/etc/hosts'],
      [500, 4242, 'cat', 'close', 0, null, '/etc/hosts'],
      [600, 4242, 'cat', 'read', -9, null, null],
    ]);
    expect(meta).toEqual({
      backend: 'ebpf',
      arch: 'x86_64',
      target: 'command: /bin/sh -c make, with children',
      startRealNs: String(Date.UTC(2025, 0, 2, 3, 4, 5) * 1e6),
      durationNs: null,
      lostEvents: 0,
      filters: { syscalls: null, minDurationNs: 0, failedOnly: false },
    });
    // the end of the stream says how long it ran and what was lost; no aggregate profile
    expect(end.meta).toMatchObject({ durationNs: 2_000_000_000, lostEvents: 7 });
    expect(end.profile).toBeNull();
  });

  it('merges small batches into larger ones', async () => {
    const frames = Array.from({ length: 10 }, (_, k) => eventsFrame([{ at: k * 10, nr: 39, ret: 4242 }, { at: k * 10 + 5, nr: 39, ret: 4242 }]));
    const { sizes } = await readCapture(fileWith('many.spb', eventStream(frames)), { batchRows: 8 });
    expect(sizes).toEqual([8, 8, 4]);
  });

  it('keeps each call\'s off-CPU and runnable times when it merges batches', async () => {
    const frames = Array.from({ length: 5 }, (_, k) => eventsFrame([{ at: k * 10, nr: 0, ret: 1, off: 100 + k, runq: k }]));
    const { events, sizes } = await readCapture(fileWith('off.spb', eventStream(frames, {}, { offcpu: true })), { batchRows: 4 });
    expect(sizes).toEqual([4, 1]);
    expect(events.map((e) => [e.offCpuNs, e.runqNs])).toEqual([
      [100, 0],
      [101, 1],
      [102, 2],
      [103, 3],
      [104, 4],
    ]);
  });

  it('names the filters the header says', async () => {
    const stream = eventStream([], {}, { eventSyscalls: [0, 1, 74], eventMinDurationNs: 100000, eventFailedOnly: true });
    const { meta } = await readCapture(fileWith('f.spb', stream));
    expect(meta.filters).toEqual({ syscalls: ['read', 'write', 'fsync'], minDurationNs: 100000, failedOnly: true });
  });
});

describe('spb aggregate captures', () => {
  it('has no batches and the last snapshot as its profile (a real loader capture)', async () => {
    const path = new URL('../../fixtures/loader/fsync_write-200.spb', import.meta.url).pathname;
    const { events, end } = await readCapture(path);
    expect(events).toEqual([]);
    expect(end.profile).not.toBeNull();
    expect(end.profile!.final).toBe(true);
    expect(end.profile!.syscalls.find((s) => s.name === 'fsync')?.count).toBe(200);
    expect(end.meta.durationNs).toBe(end.profile!.durationNs);
  });
});

describe('spb bad input', () => {
  const fixture = readFileSync(new URL('../../fixtures/loader/fsync_write-200.spb', import.meta.url));
  const events = eventStream([eventsFrame([{ at: 1, nr: 0 }])]);

  it.each<[string, Buffer, new (...args: never[]) => InputError, RegExp]>([
    ['an empty file', Buffer.alloc(0), InputError, /: byte offset 0: empty file, expected a Header frame$/],
    ['a frame cut short', fixture.subarray(0, fixture.length - 5), TruncatedFrameError, /: truncated frame at byte offset \d+: expected \d+ bytes, got \d+$/],
    ['a stream cut at a frame boundary', encodeStream([headerFrame(), snapshotFrame()]), InputError, /: byte offset \d+: the stream ends without its final snapshot \(truncated\?\)$/],
    ['a corrupt frame', Buffer.concat([encodeStream([eventHeader()]), Buffer.from([0x03, 0x0f, 0xff, 0xff])]), CorruptFrameError, /: corrupt frame at byte offset \d+: 3-byte message does not decode/],
    ['a length prefix beyond the cap', Buffer.from([0xff, 0xff, 0xff, 0xff, 0x7f]), CorruptFrameError, /: corrupt frame at byte offset 0: length \d+ exceeds the \d+-byte cap/],
    ['not a header first', encodeStream([snapshotFrame()]), InvalidFrameError, /: invalid frame at byte offset 0: snapshot before the header$/],
    ['events in an aggregate stream', Buffer.concat([encodeStream([headerFrame()]), eventsFrame([{ at: 1, nr: 0 }])]), InvalidFrameError, /event batch in a stream whose header did not ask for events/],
    ['events cut short', events.subarray(0, events.length - 3), TruncatedFrameError, /truncated frame at byte offset/],
  ])('%s', async (_name, bytes, type, message) => {
    const path = fileWith('bad.spb', bytes);
    const err = await rejection(readCapture(path));
    expect(err).toBeInstanceOf(type);
    expect(err.message.startsWith(`${path}: `)).toBe(true);
    expect(err.message).toMatch(message);
    expect((err as InputError).offset).toBeTypeOf('number');
  });
});
