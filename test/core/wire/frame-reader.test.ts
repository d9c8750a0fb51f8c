import { describe, expect, it } from 'vitest';
import { CorruptFrameError, TruncatedFrameError } from '../../../src/core/wire/frame-errors.js';
import { FrameReader, type ReadFrame } from '../../../src/core/wire/frame-reader.js';
import { decodeFrame, type WireFrame } from '../../../src/core/wire/wire.js';
import { InputError } from '../../../src/core/errors.js';
import { Arch, encodeDelimited, headerFrame, snapshotFrame, statsOf, StopReason } from '../../helpers/frames.js';

const FRAMES = [
  headerFrame(),
  snapshotFrame({ seq: 1, syscalls: [statsOf(0, [100, 2000, 30_000])] }),
  // > 127 bytes, so its length prefix takes two bytes
  snapshotFrame({ seq: 2, syscalls: Array.from({ length: 20 }, (_, nr) => statsOf(nr, [nr * 1000 + 1])) }),
  snapshotFrame({ seq: 3, final: true, stopReason: StopReason.STOP_REASON_SIGNAL }),
];
const PARTS = FRAMES.map(encodeDelimited);
const STREAM = Buffer.concat(PARTS);
const OFFSETS = PARTS.map((_, i) => PARTS.slice(0, i).reduce((n, p) => n + p.length, 0));

function reader(maxFrameBytes?: number): FrameReader<WireFrame> {
  return new FrameReader(decodeFrame, { source: 'test stream', ...(maxFrameBytes === undefined ? {} : { maxFrameBytes }) });
}

function readAll(chunks: readonly Uint8Array[]): ReadFrame<WireFrame>[] {
  const r = reader();
  const out = chunks.flatMap((c) => r.push(c));
  r.end();
  return out;
}

function summary(frames: ReadFrame<WireFrame>[]): Array<[number, string, number]> {
  return frames.map(({ offset, frame }) => [offset, frame.header !== null ? 'header' : 'snapshot', frame.snapshot?.seq ?? 0]);
}

const EXPECTED: Array<[number, string, number]> = [
  [OFFSETS[0]!, 'header', 0],
  [OFFSETS[1]!, 'snapshot', 1],
  [OFFSETS[2]!, 'snapshot', 2],
  [OFFSETS[3]!, 'snapshot', 3],
];

describe('FrameReader', () => {
  it('reads a whole stream in one chunk, with offsets and decoded content', () => {
    expect(PARTS[2]![0]! & 0x80).toBe(0x80);
    const frames = readAll([STREAM]);
    expect(summary(frames)).toEqual(EXPECTED);
    expect(frames[0]!.frame.header?.arch).toBe(Arch.ARCH_X86_64);
    expect(frames[1]!.frame.snapshot?.syscalls[0]?.totalNs).toBe(32_100);
  });

  it('reads the same frames when the stream is split at any byte', () => {
    for (let cut = 0; cut <= STREAM.length; cut++) {
      expect(summary(readAll([STREAM.subarray(0, cut), STREAM.subarray(cut)])), `cut at ${cut}`).toEqual(EXPECTED);
    }
  });

  it('reads the same frames one byte at a time, and yields nothing for a partial frame', () => {
    const r = reader();
    const frames: ReadFrame<WireFrame>[] = [];
    for (let i = 0; i < STREAM.length; i++) {
      const got = r.push(STREAM.subarray(i, i + 1));
      if (!OFFSETS.includes(i + 1) && i + 1 !== STREAM.length) expect(got).toEqual([]);
      frames.push(...got);
    }
    r.end();
    expect(summary(frames)).toEqual(EXPECTED);
  });

  it('reports a stream cut inside a frame body as truncated, with offset and sizes', () => {
    const r = reader();
    const cut = STREAM.subarray(0, STREAM.length - 3);
    expect(r.push(cut)).toHaveLength(3);
    const bodyLength = PARTS[3]!.length - 1;
    const err = catchError(() => r.end());
    expect(err).toBeInstanceOf(TruncatedFrameError);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toBe(`test stream: truncated frame at byte offset ${OFFSETS[3]}: expected ${bodyLength} bytes, got ${bodyLength - 3}`);
  });

  it('reports a stream cut inside a length prefix as truncated', () => {
    const r = reader();
    r.push(STREAM.subarray(0, OFFSETS[2]! + 1));
    expect(() => r.end()).toThrow(`truncated frame at byte offset ${OFFSETS[2]}: incomplete length prefix (1 bytes)`);
  });

  it('reports bytes that are not a Frame as corrupt, not truncated', () => {
    // length 3, then field 1 with wire type 7 (invalid)
    const garbage = Buffer.from([0x03, 0x0f, 0xff, 0xff]);
    const err = catchError(() => reader().push(Buffer.concat([PARTS[0]!, garbage])));
    expect(err).toBeInstanceOf(CorruptFrameError);
    expect(err).not.toBeInstanceOf(TruncatedFrameError);
    expect(err.message).toMatch(new RegExp(`^test stream: corrupt frame at byte offset ${PARTS[0]!.length}: 3-byte message does not decode: `));
  });

  it('reports a length over the cap as corrupt without waiting for the bytes', () => {
    // varint 64 MiB + 1
    const prefix = Buffer.from([0x81, 0x80, 0x80, 0x20]);
    expect(() => reader().push(prefix)).toThrow(
      /^test stream: corrupt frame at byte offset 0: length 67108865 exceeds the 67108864-byte cap$/,
    );
    expect(() => reader(10).push(PARTS[1]!)).toThrow(CorruptFrameError);
  });

  it('reports an over-long varint as corrupt', () => {
    expect(() => reader().push(Buffer.alloc(11, 0xff))).toThrow(/length prefix is longer than 10 bytes/);
  });

  it('accepts an empty stream', () => {
    expect(readAll([])).toEqual([]);
  });
});

function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}
