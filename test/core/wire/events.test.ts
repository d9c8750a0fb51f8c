// Event mode on the wire: the hand-written EventBatch decoder, its validation and
// its conversion to model batches, on synthetic frames (the hand encoder in
// test/core/capture/event-frames.ts is independent of the decoder).
import { describe, expect, it } from 'vitest';
import { EventConverter } from '../../../src/core/wire/event-convert.js';
import type { EventChunk } from '../../../src/core/wire/event-types.js';
import { InvalidFrameError } from '../../../src/core/wire/frame-errors.js';
import { FrameReader } from '../../../src/core/wire/frame-reader.js';
import { FrameSession } from '../../../src/core/wire/session.js';
import { eventBatchProblem } from '../../../src/core/wire/validate.js';
import { decodeFrame, type WireEventBatch, type WireFrame, type WireHeader } from '../../../src/core/wire/wire.js';
import { readVarint, unsigned } from '../../../src/core/wire/wire-varint.js';
import { encodeFrame, encodeStream, snapshotFrame } from '../../helpers/frames.js';
import { eventHeader, eventsFrame, START_MONO, type WireProc, type WireRow } from '../capture/event-frames.js';

const U64_MAX = 2n ** 64n - 1n;

// decodes a frame built by the hand encoder (without its length prefix)
function decodeRows(rows: WireRow[], procs: WireProc[] = []): WireFrame {
  const framed = eventsFrame(rows, procs);
  let p = 0;
  while (framed[p]! & 0x80) p++;
  return decodeFrame(framed.subarray(p + 1));
}

function header(overrides: Record<string, unknown> = {}): WireHeader {
  return decodeFrame(encodeFrame(eventHeader(overrides))).header!;
}

// runs whole streams through a session; returns the chunks it handed over
function session(frames: Buffer): EventChunk[] {
  const chunks: EventChunk[] = [];
  const s = new FrameSession('test stream', { onEvents: (c) => chunks.push(c) });
  const reader = new FrameReader(decodeFrame, { source: 'test stream' });
  for (const f of reader.push(frames)) s.accept(f);
  reader.end();
  return chunks;
}

describe('decodeEventsFrame', () => {
  it('reads packed columns exactly, including 64-bit extremes and negatives', () => {
    const f = decodeRows([
      { at: 0, dur: 0, pid: 1, tid: 2, nr: 0, ret: -4095, args: [U64_MAX, 0, 2n ** 32n, 2n ** 63n, 0xffffffff, 1], pos: -1 },
      { at: 2 ** 40, dur: 2 ** 52, pid: 0x7fffffff, tid: 4194304, nr: 469, ret: 0x7f00_0000_0000, args: [1, 2, 3, 4, 5, 6], pos: 2 ** 50 },
    ]);
    expect(f.header).toBeNull();
    expect(f.snapshot).toBeNull();
    const b = f.events!;
    expect([...b.startLo]).toEqual([START_MONO, (START_MONO + 2 ** 40) % 2 ** 32]);
    expect([...b.startHi]).toEqual([0, Math.floor((START_MONO + 2 ** 40) / 2 ** 32)]);
    expect([...b.durationNs]).toEqual([0, 2 ** 52]);
    expect([...b.pid]).toEqual([1, 0x7fffffff]);
    expect([...b.tid]).toEqual([2, 4194304]);
    expect([...b.nr]).toEqual([0, 469]);
    expect([...b.ret]).toEqual([-4095, 0x7f00_0000_0000]);
    expect([...b.pos]).toEqual([-1, 2 ** 50]);
    const arg = (k: number, i: number) => (BigInt(b.argHi[k]![i]!) << 32n) | BigInt(b.argLo[k]![i]!);
    expect([0, 1, 2, 3, 4, 5].map((k) => arg(k, 0))).toEqual([U64_MAX, 0n, 2n ** 32n, 2n ** 63n, 0xffffffffn, 1n]);
  });

  it('reads data rows and process events', () => {
    const b = decodeRows(
      [{ at: 1, nr: 42, path: '/p', sockaddr: Uint8Array.from([2, 0, 0, 80, 1, 2, 3, 4]) }, { at: 2, nr: 293, pipe: [5, -1] }],
      [{ kind: 0, at: 3, pid: 10, child: 11, comm: 'sh' }, { kind: 3, at: 0, pid: 10, comm: 'prozeß' }],
    ).events!;
    expect(b.data.map((d) => [d.row, d.kind, Buffer.from(d.value).toString('hex')])).toEqual([
      [0, 0, Buffer.from('/p').toString('hex')],
      [0, 1, '0200005001020304'],
      [1, 2, '05000000ffffffff'],
    ]);
    expect(b.processEvents).toEqual([
      { kind: 0, timeNs: START_MONO + 3, pid: 10, child: 11, comm: 'sh' },
      { kind: 3, timeNs: START_MONO, pid: 10, child: 0, comm: 'prozeß' },
    ]);
  });

  it('accepts a column split into several packed runs, and unpacked values', () => {
    // field 5 (nr) as packed [1, 2], then packed [3], then unpacked 4; field 3 (pid) unpacked twice
    const body = Uint8Array.from([0x2a, 2, 1, 2, 0x2a, 1, 3, 0x28, 4, 0x18, 7, 0x18, 8]);
    const frame = Uint8Array.from([0x1a, body.length, ...body]);
    const b = decodeFrame(frame).events!;
    expect([...b.nr]).toEqual([1, 2, 3, 4]);
    expect([...b.pid]).toEqual([7, 8]);
  });

  it.each<[string, number[]]>([
    ['a varint running past its packed field', [0x1a, 3, 0x2a, 1, 0x80]],
    ['a field running past the frame', [0x1a, 9, 0x2a, 1]],
    ['an 11-byte varint', [0x1a, 12, 0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]],
    ['an unknown wire type', [0x1a, 2, 0x2f, 0]],
  ])('throws on %s', (_name, bytes) => {
    expect(() => decodeFrame(Uint8Array.from(bytes))).toThrow();
  });

  it('reads the header start time exactly (protobufjs rounds it)', () => {
    // the header with start_real_ns appended as an exact varint (the last value wins)
    const exact = 1735787045123456789n;
    const inner = Buffer.from(encodeFrame(eventHeader())).subarray(0);
    const p = readVarint(inner, 1, inner.length);
    const len = unsigned();
    const varint = (v: bigint) => {
      const out: number[] = [];
      do {
        out.push(Number(v & 0x7fn) | (v > 0x7fn ? 0x80 : 0));
        v >>= 7n;
      } while (v > 0n);
      return out;
    };
    const header = Buffer.concat([inner.subarray(p, p + len), Buffer.from([0x38, ...varint(exact)])]);
    const bytes = Buffer.concat([Buffer.from([0x0a, ...varint(BigInt(header.length))]), header]);
    const decoded = decodeFrame(bytes).header!;
    expect(BigInt(decoded.startRealNs)).not.toBe(exact);
    expect(decoded.startRealNsText).toBe('1735787045123456789');
    expect(decodeFrame(encodeFrame(eventHeader({ startRealNs: 0 }))).header!.startRealNsText).toBe('0');
  });
});

describe('eventBatchProblem', () => {
  const h = header();
  const good = () => decodeRows([{ at: 1, nr: 0 }, { at: 2, nr: 1 }]).events!;
  it.each<[string, (b: WireEventBatch) => WireEventBatch, RegExp]>([
    ['unequal columns', (b) => ({ ...b, tid: b.tid.subarray(0, 1) }), /column tid has 1 values, start_ns has 2/],
    ['a missing column', (b) => ({ ...b, argLo: [...b.argLo.slice(0, 5), new Uint32Array(0)] }), /column arg5 has 0 values/],
    ['data beyond the rows', (b) => ({ ...b, data: [{ row: 2, kind: 0, value: new Uint8Array(1) }] }), /event data for row 2 of 2/],
    ['unknown data kind', (b) => ({ ...b, data: [{ row: 0, kind: 9, value: new Uint8Array(1) }] }), /unknown kind 9/],
    ['pipe fds of the wrong size', (b) => ({ ...b, data: [{ row: 0, kind: 2, value: new Uint8Array(4) }] }), /pipe fds of 4 bytes, expected 8/],
    ['a huge path', (b) => ({ ...b, data: [{ row: 0, kind: 0, value: new Uint8Array(5000) }] }), /event data of 5000 bytes/],
    ['pid 0', (b) => ({ ...b, pid: Uint32Array.from([0, 1]) }), /row 0 has pid 0/],
    ['a syscall number beyond any table', (b) => ({ ...b, nr: Uint32Array.from([0, 70000]) }), /row 1 has syscall nr 70000/],
    ['an absurd duration', (b) => ({ ...b, durationNs: Float64Array.from([2 ** 60, 0]) }), /duration/],
    ['a fork without a child', (b) => ({ ...b, processEvents: [{ kind: 0, timeNs: START_MONO, pid: 1, child: 0, comm: '' }] }), /fork of 1 without a child/],
    ['an unknown process event', (b) => ({ ...b, processEvents: [{ kind: 7, timeNs: START_MONO, pid: 1, child: 0, comm: '' }] }), /unknown kind 7/],
  ])('rejects %s', (_name, damage, message) => {
    expect(eventBatchProblem(good(), h)).toBeNull();
    expect(eventBatchProblem(damage(good()), h)).toMatch(message);
  });

  it('rejects off-CPU columns the header did not announce, and parts larger than the call', () => {
    const withCpu = decodeRows([{ at: 1, nr: 0, dur: 500, off: 300, runq: 100 }]).events!;
    expect(eventBatchProblem(withCpu, header({ offcpu: true }))).toBeNull();
    expect(eventBatchProblem(withCpu, h)).toMatch(/column off_cpu_ns has 1 values, expected 0 \(the header says no off-CPU times\)/);
    expect(eventBatchProblem(good(), header({ offcpu: true }))).toMatch(/column off_cpu_ns has 0 values, expected 2/);
    const tooLong = decodeRows([{ at: 1, nr: 0, dur: 500, off: 600, runq: 0 }]).events!;
    expect(eventBatchProblem(tooLong, header({ offcpu: true }))).toMatch(/row 0 has off-CPU 600 ns and runnable 0 ns of a 500 ns call/);
    const runqOver = decodeRows([{ at: 1, nr: 0, dur: 500, off: 100, runq: 200 }]).events!;
    expect(eventBatchProblem(runqOver, header({ offcpu: true }))).toMatch(/runnable 200 ns/);
  });

  it('rejects event batches when the header did not ask for them', () => {
    expect(eventBatchProblem(good(), header({ events: false }))).toMatch(/did not ask for events/);
  });
});

describe('EventConverter', () => {
  it('makes times relative, names syscalls, maps pos -1 to unknown and decodes data', () => {
    const conv = new EventConverter(header());
    const w = decodeRows([
      { at: 5, dur: 7, nr: 257, ret: 3, path: '/etc/hosts', args: [0xffffff9c] },
      { at: 9, nr: 42, ret: 0, args: [3], sockaddr: Uint8Array.from([2, 0, 0x15, 0x38, 127, 0, 0, 1]) },
      { at: 12, nr: 293, pipe: [4, 5], pos: 0 },
      { at: 13, nr: 999, pos: -3 },
    ]).events!;
    const { batch, extras } = conv.convert(w);
    expect(batch.rows().map((r) => [r.startNs, r.durationNs, r.syscall, r.nr, r.ret, r.pos, r.path])).toEqual([
      [5, 7, 'openat', 257, 3, null, '/etc/hosts'],
      [9, 1000, 'connect', 42, 0, null, null],
      [12, 1000, 'pipe2', 293, 0, 0, null],
      [13, 1000, 'syscall_999', 999, 0, null, null],
    ]);
    expect(batch.argInt(0, 0)).toBe(-100);
    expect([...extras.sockaddr.keys()]).toEqual([1]);
    expect(extras.pipeFds.get(2)).toEqual([4, 5]);
  });

  it('carries the off-CPU and runnable time, unknown without them', () => {
    const on = new EventConverter(header({ offcpu: true }));
    const { batch } = on.convert(decodeRows([{ at: 1, nr: 74, dur: 5000, off: 4000, runq: 250 }, { at: 2, nr: 1, dur: 900, off: 0, runq: 0 }]).events!);
    expect(batch.rows().map((r) => [r.syscall, r.offCpuNs, r.runqNs])).toEqual([
      ['fsync', 4000, 250],
      ['write', 0, 0],
    ]);
    const off = new EventConverter(header());
    const row = off.convert(decodeRows([{ at: 1, nr: 74 }]).events!).batch.row(0);
    expect(row.offCpuNs).toBeUndefined();
    expect(row.runqNs).toBeUndefined();
  });

  it('keeps start times exact past 2^53 ns of uptime', () => {
    const start = 2 ** 53 + 1000;
    const conv = new EventConverter({ ...header(), startMonoNs: start });
    const w = decodeRows([{ at: 0, nr: 0 }]).events!;
    // rewrite the row's start to start + 3, exactly, in 32-bit halves
    const t = BigInt(start) + 3n;
    w.startLo[0] = Number(t & 0xffffffffn);
    w.startHi[0] = Number(t >> 32n);
    expect(conv.convert(w).batch.startNs[0]).toBe(3);
  });

  it('takes comms from NAME, FORK and EXEC, in time order, across batches', () => {
    const conv = new EventConverter(header());
    const comms = (rows: WireRow[], procs: WireProc[]) => conv.convert(decodeRows(rows, procs).events!).batch.rows().map((r) => `${r.pid}:${r.comm}`);
    // NAME for a new pid counts from the start of its batch
    expect(comms([{ at: 10, pid: 1, nr: 0 }, { at: 20, pid: 2, nr: 0 }], [{ kind: 3, at: 50, pid: 1, comm: 'sh' }])).toEqual(['1:sh', '2:']);
    // fork at 100: the child has the parent's name; exec at 200 renames the child only from then on
    expect(
      comms(
        [
          { at: 150, dur: 10, pid: 3, nr: 0 },
          { at: 190, dur: 5, pid: 3, nr: 59 },
          { at: 300, pid: 3, nr: 0 },
          { at: 310, pid: 1, nr: 0 },
        ],
        [
          { kind: 0, at: 100, pid: 1, child: 3, comm: 'sh' },
          { kind: 1, at: 200, pid: 3, comm: 'make' },
        ],
      ),
    ).toEqual(['3:sh', '3:sh', '3:make', '1:sh']);
    // exit keeps the name one more batch (late rows of other threads), then forgets it
    expect(comms([{ at: 400, pid: 3, nr: 0 }], [{ kind: 2, at: 350, pid: 3, comm: 'make' }])).toEqual(['3:make']);
    expect(comms([{ at: 500, pid: 3, nr: 0 }], [])).toEqual(['3:make']);
    expect(comms([{ at: 600, pid: 3, nr: 0 }], [])).toEqual(['3:']);
  });

  it('replaces control characters in comms', () => {
    const conv = new EventConverter(header());
    const b = conv.convert(decodeRows([{ at: 1, pid: 1, nr: 0 }], [{ kind: 3, at: 0, pid: 1, comm: 'a\u001b[31mb' }]).events!).batch;
    expect(b.comm[0]).toBe('a?[31mb');
  });
});

describe('FrameSession with events', () => {
  it('hands over converted batches in order and counts rows', () => {
    const chunks = session(
      Buffer.concat([
        encodeStream([eventHeader()]),
        eventsFrame([{ at: 1, nr: 0 }, { at: 2, nr: 1 }]),
        encodeStream([snapshotFrame()]),
        eventsFrame([{ at: 3, nr: 74 }]),
        encodeStream([snapshotFrame({ seq: 2, final: true })]),
      ]),
    );
    expect(chunks.map((c) => c.batch.syscall.slice(0, c.batch.length))).toEqual([['read', 'write'], ['fsync']]);
  });

  it.each<[string, Buffer, RegExp]>([
    ['events before the header', eventsFrame([{ at: 1, nr: 0 }]), /invalid frame at byte offset 0: event batch before the header/],
    ['events after the final snapshot', Buffer.concat([encodeStream([eventHeader(), snapshotFrame({ final: true })]), eventsFrame([{ at: 1, nr: 0 }])]), /event batch after the final snapshot/],
    ['a bad ring buffer size', encodeStream([eventHeader({ ringbufBytes: 3000 })]), /ring buffer size 3000 is not a power of two/],
  ])('rejects %s', (_name, bytes, message) => {
    expect(() => session(bytes)).toThrow(InvalidFrameError);
    expect(() => session(bytes)).toThrow(message);
  });
});
