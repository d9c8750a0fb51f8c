// decodeFrame (the hand-written decoders, and the generated ones on a reader
// with 64-bit numbers) against the decoder generated from the proto, run the
// plain protobufjs way (its own reader, 64-bit values as Long, made numbers or
// strings by toObject): field by field, on real captures and on synthetic frames
// with edge values, unknown fields, packed and unpacked repeated fields.
import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { FrameReader } from '../../../src/core/wire/frame-reader.js';
import { syscallprof } from '../../../src/core/wire/proto.js';
import { decodeFrame, type WireEventBatch } from '../../../src/core/wire/wire.js';
import { encodeFrame, headerFrame, snapshotFrame, statsOf } from '../../helpers/frames.js';
import { eventsFrame } from '../capture/event-frames.js';

const { Frame, Header, Snapshot, EventBatch, EventData, ProcessEvent } = syscallprof;
const { Arch, Mode, CostStats, StopReason } = syscallprof;
const IoUringRequestsMsg = syscallprof.IoUringRequests;

// toObject options: every field, 64-bit values as numbers (rounded as ours are) or exactly
const NUMBERS = { defaults: true, arrays: true, longs: Number, bytes: Array };
const EXACT = { ...NUMBERS, longs: String };
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const U64_MAX = 2n ** 64n - 1n;

function fixture(name: string): Buffer {
  return readFileSync(new URL(`../../fixtures/${name}`, import.meta.url));
}

// the frames of a stream, undecoded
function framesOf(stream: Uint8Array): Uint8Array[] {
  const reader = new FrameReader((bytes) => bytes, { source: 'test' });
  const frames = reader.push(stream).map((f) => f.frame);
  reader.end();
  return frames;
}

// a hand-decoded event batch in the shape toObject gives the generated one
function batchObject(b: WireEventBatch): Record<string, unknown> {
  const exact = (los: Uint32Array, his: Uint32Array) => Array.from(los, (lo, i) => ((BigInt(his[i]!) << 32n) | BigInt(lo)).toString());
  const columns: Record<string, unknown> = {
    startNs: exact(b.startLo, b.startHi),
    durationNs: [...b.durationNs],
    pid: [...b.pid],
    tid: [...b.tid],
    nr: [...b.nr],
    ret: [...b.ret],
    pos: [...b.pos],
    data: b.data.map((d) => EventData.toObject(d, NUMBERS)),
    processEvents: b.processEvents.map((e) => ProcessEvent.toObject(e, NUMBERS)),
    offCpuNs: [...b.offCpuNs],
    runqNs: [...b.runqNs],
    ioUring: b.ioUring === null ? null : ioUringObject(b.ioUring, exact),
    stackId: [...b.stackId],
    stackDefs: b.stackDefs.map((d) => syscallprof.StackDef.toObject(d, NUMBERS)),
  };
  for (let k = 0; k < 6; k++) columns[`arg${k}`] = exact(b.argLo[k]!, b.argHi[k]!);
  return columns;
}

// hand-decoded io_uring requests in the shape toObject gives them
function ioUringObject(u: NonNullable<WireEventBatch['ioUring']>, exact: (los: Uint32Array, his: Uint32Array) => string[]): Record<string, unknown> {
  return {
    startNs: exact(u.startLo, u.startHi),
    durationNs: [...u.durationNs],
    pid: [...u.pid],
    tid: [...u.tid],
    opcode: [...u.opcode],
    fd: [...u.fd],
    offset: exact(u.offsetLo, u.offsetHi),
    length: [...u.length],
    result: [...u.result],
    punted: Array.from(u.punted, (v) => v === 1),
    ring: [...u.ring],
    fixedFile: Array.from(u.fixedFile, (v) => v === 1),
  };
}

// the generated decoder's batch: the columns the hand decoder splits into halves exactly, the rest as numbers
function generatedBatch(b: syscallprof.EventBatch): Record<string, unknown> {
  const numbers = EventBatch.toObject(b, NUMBERS);
  const exact = EventBatch.toObject(b, EXACT);
  for (const key of ['startNs', 'arg0', 'arg1', 'arg2', 'arg3', 'arg4', 'arg5']) numbers[key] = exact[key];
  if (numbers['ioUring'] != null) {
    const u = numbers['ioUring'] as Record<string, unknown>;
    const x = exact['ioUring'] as Record<string, unknown>;
    numbers['ioUring'] = { ...u, startNs: x['startNs'], offset: x['offset'] };
  }
  return numbers;
}

// Decodes a frame both ways and checks they agree; `v1` names the wire-version-1
// fields the generated decoder does not know (it reads them as unset).
function expectAgreement(bytes: Uint8Array, v1: { header?: Partial<syscallprof.Header>; stopReason?: number } = {}): void {
  const ours = decodeFrame(bytes);
  const theirs = Frame.decode(bytes);
  expect(ours.header === null).toBe(theirs.header == null);
  expect(ours.snapshot === null).toBe(theirs.snapshot == null);
  expect(ours.events === null).toBe(theirs.events == null);
  if (ours.header !== null) {
    const mine = Header.toObject(ours.header, NUMBERS);
    expect(mine).toEqual({ ...Header.toObject(theirs.header!, NUMBERS), ...v1.header });
    expect(ours.header.startRealNsText).toBe(Header.toObject(theirs.header!, EXACT)['startRealNs']);
  }
  if (ours.snapshot !== null) {
    const generated = Snapshot.toObject(theirs.snapshot!, NUMBERS);
    if (v1.stopReason !== undefined) generated['stopReason'] = v1.stopReason;
    expect(Snapshot.toObject(ours.snapshot, NUMBERS)).toEqual(generated);
  }
  if (ours.events !== null) expect(batchObject(ours.events)).toEqual(generatedBatch(theirs.events!));
}

// a length-delimited message field
function field(w: protobuf.Writer, number: number, bytes: Uint8Array): protobuf.Writer {
  return w.uint32((number << 3) | 2).bytes(bytes);
}

describe('decodeFrame against the generated decoder', () => {
  it.each(['loader/fsync_write-200.v2.spb', 'loader/fsync_write-20.events.v2.spb'])('agrees on every frame of the real capture %s', (name) => {
    const frames = framesOf(fixture(name));
    expect(frames.length).toBeGreaterThan(2);
    for (const bytes of frames) expectAgreement(bytes);
    // the capture has each kind of content the comparison is about
    const decoded = frames.map(decodeFrame);
    expect(decoded[0]!.header).toMatchObject({ version: 2, arch: Arch.ARCH_X86_64, mode: Mode.MODE_COMMAND, costStats: CostStats.COST_STATS_SAMPLED });
    expect(decoded.at(-1)!.snapshot).toMatchObject({ final: true, stopReason: StopReason.STOP_REASON_TARGET_EXIT });
    expect(decoded.some((f) => (f.snapshot?.processes.length ?? 0) > 0)).toBe(true);
  });

  it('agrees on the real event batches, process events and paths included', () => {
    const batches = framesOf(fixture('loader/fsync_write-20.events.v2.spb')).map(decodeFrame).flatMap((f) => (f.events === null ? [] : [f.events]));
    expect(batches.reduce((n, b) => n + b.startLo.length, 0)).toBeGreaterThanOrEqual(40);
    expect(batches.some((b) => b.data.length > 0 && b.processEvents.length > 0)).toBe(true);
  });

  it('reads wire version 1 (the string fields now reserved) into the enums', () => {
    for (const [name, mode] of [
      ['loader/fsync_write-200.spb', Mode.MODE_COMMAND],
      ['capture/fsync_write-20.events.spb', Mode.MODE_COMMAND],
    ] as const) {
      const frames = framesOf(fixture(name));
      expectAgreement(frames[0]!, { header: { arch: Arch.ARCH_X86_64, mode, costStats: CostStats.COST_STATS_SAMPLED } });
      expect(decodeFrame(frames[0]!).header!.version).toBe(1);
      for (const bytes of frames.slice(1, -1)) expectAgreement(bytes);
      expectAgreement(frames.at(-1)!, { stopReason: StopReason.STOP_REASON_TARGET_EXIT });
    }
  });

  it('agrees on edge values: 0, 2^53 - 1, above 2^53, negative int32s, enum values it does not know', () => {
    const big = { ...statsOf(3, [1, 2]), count: MAX_SAFE, totalNs: 2 ** 60, maxNs: 0, offCpuNs: MAX_SAFE, runqNs: 1, bucketCount: [MAX_SAFE, 0] };
    const frames = [
      headerFrame({ startMonoNs: MAX_SAFE, startRealNs: 0, bpfMapBytes: 2 ** 63, eventMinDurationNs: MAX_SAFE, eventSyscalls: [0, 4095], arch: 99, times: true }),
      snapshotFrame(),
      snapshotFrame({
        seq: 0,
        monoNs: MAX_SAFE,
        syscalls: [big],
        processes: [{ ...big, tgid: 2 ** 32 - 1 }],
        procs: [{ tgid: 1, comm: 'ünïcode' }],
        inFlight: [{ tgid: 1, tid: 2, nr: 0, ageNs: MAX_SAFE }],
        health: { missedStarts: MAX_SAFE, inFlightTruncated: 2 ** 64, timeDrops: MAX_SAFE },
        cost: [{ name: 'sys_exit', runTimeNs: 0, runCount: MAX_SAFE }],
        exit: { pid: -1, exited: false, code: -2147483648, signal: -9, cpuNs: MAX_SAFE },
        errnos: [{ nr: 0, err: 4095, count: MAX_SAFE }],
        times: [{ tgid: 0, cpuNs: 0, lifeNs: 0, threads: 0 }, { tgid: 2 ** 32 - 1, cpuNs: MAX_SAFE, lifeNs: 2 ** 60, threads: 2 ** 32 - 1 }],
        costWindowNs: MAX_SAFE,
        stopReason: 99,
        samplePeriod: 65536,
        final: true,
      }),
    ];
    for (const f of frames) expectAgreement(encodeFrame(f));
  });

  it('agrees on unknown fields, repeated scalars and unpacked repeated fields in every message', () => {
    const stats = Buffer.from(syscallprof.SyscallStats.encode(syscallprof.SyscallStats.fromObject(statsOf(1, [5, 900]))).finish());
    const w = protobuf.Writer.create();
    w.uint32((1 << 3) | 0).uint64(4); // seq, twice: the last wins
    w.uint32((1 << 3) | 0).uint64(MAX_SAFE);
    field(w, 4, stats);
    field(w, 99, Uint8Array.of(1, 2, 3)); // unknown, each wire type
    w.uint32((98 << 3) | 1).fixed64(7);
    w.uint32((97 << 3) | 5).fixed32(7);
    w.uint32((96 << 3) | 0).uint64(U64_MAX.toString());
    // a stats message with unpacked buckets and an unknown field
    const unpacked = protobuf.Writer.create();
    unpacked.uint32((2 << 3) | 0).uint32(7);
    unpacked.uint32((7 << 3) | 0).uint32(3).uint32((8 << 3) | 0).uint64(MAX_SAFE);
    unpacked.uint32((7 << 3) | 2).fork().uint32(5).uint32(9).ldelim();
    unpacked.uint32((8 << 3) | 2).fork().uint64(1).uint64(2).ldelim();
    unpacked.uint32((50 << 3) | 2).bytes(Uint8Array.of(9));
    field(w, 4, unpacked.finish());
    w.uint32((3 << 3) | 0).bool(true);
    w.uint32((14 << 3) | 0).int32(StopReason.STOP_REASON_SIGNAL);
    const frame = field(protobuf.Writer.create(), 2, w.finish()).finish();
    expectAgreement(frame);
    expect(decodeFrame(frame).snapshot).toMatchObject({ seq: MAX_SAFE, final: true, stopReason: StopReason.STOP_REASON_SIGNAL });
    expect(decodeFrame(frame).snapshot!.syscalls[1]).toMatchObject({ nr: 7, bucketIndex: [3, 5, 9], bucketCount: [MAX_SAFE, 1, 2] });
  });

  it('agrees on event batches with edge values, packed and unpacked', () => {
    const events = eventsFrame(
      [
        { at: 0, dur: 0, nr: 0, ret: 0, args: [0, U64_MAX, 2n ** 53n - 1n, 2n ** 63n, 1, 0], pos: -1, off: 0, runq: 0 },
        { at: 2 ** 52, dur: MAX_SAFE, pid: 2 ** 31 - 1, nr: 4095, ret: -4095, args: [U64_MAX, 0, 0, 0, 0, 0], pos: MAX_SAFE, path: '/tmp/ü', off: MAX_SAFE, runq: 1 },
      ],
      [{ kind: 0, at: 5, pid: 1, child: 2, comm: 'sh' }],
    );
    const prefixBytes = events.findIndex((b) => b < 0x80) + 1;
    expectAgreement(events.subarray(prefixBytes));
    // nr packed in two runs and unpacked, pid unpacked; an unknown field
    const body = Uint8Array.from([0x2a, 2, 1, 2, 0x2a, 1, 3, 0x28, 4, 0x18, 7, 0x18, 8, 0xf8, 0x06, 1]);
    expectAgreement(Uint8Array.from([0x1a, body.length, ...body]));
  });

  it('agrees on io_uring requests with edge values, packed and unpacked', () => {
    const ioUring = {
      startNs: ['0', '18446744073709551615'],
      durationNs: [0, MAX_SAFE],
      pid: [1, 2 ** 31 - 1],
      tid: [1, 2 ** 32 - 1],
      opcode: [0, 255],
      fd: [-(2 ** 31), 2 ** 31 - 1],
      offset: ['18446744073709551615', String(2n ** 53n + 1n)],
      length: [0, 2 ** 32 - 1],
      result: [-4095, 2 ** 31 - 1],
      punted: [false, true],
      ring: [0, 2 ** 32 - 1],
      fixedFile: [true, false],
    };
    const packed = Frame.encode(Frame.fromObject({ events: { ioUring } })).finish();
    // tid unpacked in two values (field 4, varint)
    const unpacked = IoUringRequestsMsg.encode(IoUringRequestsMsg.fromObject({ ...ioUring, tid: [] })).finish();
    const extra = Uint8Array.from([0x20, 1, 0x20, 0xff, 0xff, 0xff, 0xff, 0x0f]);
    const body = Uint8Array.from([0xf2, 0x01, unpacked.length + extra.length, ...unpacked, ...extra]);
    for (const bytes of [packed, Uint8Array.from([0x1a, body.length, ...body])]) {
      const ours = decodeFrame(bytes).events!;
      expect(batchObject(ours)['ioUring']).toEqual(generatedBatch(Frame.decode(bytes).events!)['ioUring']);
    }
  });

  it('leaves protobufjs as it found it: Long for 64-bit values outside the wire code', () => {
    const bytes = encodeFrame(snapshotFrame({ syscalls: [statsOf(1, [5])] }));
    decodeFrame(bytes);
    expect(protobuf.util.Long).toBeDefined();
    expect(syscallprof.SyscallStats.decode(syscallprof.SyscallStats.encode(syscallprof.SyscallStats.fromObject(statsOf(1, [5]))).finish()).count).toBeInstanceOf(protobuf.util.Long);
    // while the wire code's unset 64-bit fields are the number 0
    expect(decodeFrame(encodeFrame(headerFrame())).header!.eventMinDurationNs).toBe(0);
  });
});
