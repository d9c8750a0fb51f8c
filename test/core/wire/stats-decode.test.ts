// The hand-written SyscallStats decoder against the one generated from the
// proto, on the same bytes. The generated decoder runs on protobufjs' own reader
// (64-bit values as Long, made numbers by toObject), so the two share no varint code.
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { syscallprof } from '../../../src/core/wire/proto.js';
import { decodeSyscallStats } from '../../../src/core/wire/stats-decode.js';
import { decodeFrame } from '../../../src/core/wire/wire.js';
import { encodeFrame } from '../../helpers/frames.js';
import { seededRandom } from '../../helpers/random.js';

const reference = syscallprof.SyscallStats;
const PLAIN = { defaults: true, arrays: true, longs: Number };

// writes a message field by field, so tests can lay out what protobufjs' encoder never would
function message(write: (w: protobuf.Writer) => void): Uint8Array {
  const w = protobuf.Writer.create();
  write(w);
  return w.finish();
}

function both(bytes: Uint8Array): { ours: unknown; theirs: unknown } {
  const theirs = reference.toObject(reference.decode(bytes), PLAIN);
  return { ours: reference.toObject(decodeSyscallStats(bytes, 0, bytes.length), PLAIN), theirs };
}

describe('decodeSyscallStats', () => {
  it('reads what the generated decoder reads for random stats, 64-bit values included', () => {
    const r = seededRandom(7);
    const big = (): number => Math.floor(r() * 2 ** (r() < 0.2 ? 63 : 40));
    for (let i = 0; i < 300; i++) {
      const n = Math.floor(r() * 40);
      const obj = {
        tgid: Math.floor(r() * 2 ** 32),
        nr: Math.floor(r() * 512),
        count: big(),
        errors: big(),
        totalNs: big(),
        maxNs: big(),
        bucketIndex: Array.from({ length: n }, (_, k) => k * 3 + Math.floor(r() * 3)),
        bucketCount: Array.from({ length: n }, () => big()),
        offCpuNs: big(),
        runqNs: r() < 0.5 ? 0 : big(),
      };
      const bytes = reference.encode(reference.fromObject(obj)).finish();
      const { ours, theirs } = both(bytes);
      expect(ours).toEqual(theirs);
    }
  });

  it('reads unpacked repeated fields, several packed runs, repeated scalars (last wins) and unknown fields', () => {
    const bytes = message((w) => {
      w.uint32((7 << 3) | 0).uint32(5); // bucket_index unpacked
      w.uint32((8 << 3) | 0).uint64(11);
      w.uint32((7 << 3) | 2).fork().uint32(9).uint32(12).ldelim(); // packed run
      w.uint32((8 << 3) | 2).fork().uint64(2 ** 40).uint64(3).ldelim();
      w.uint32((3 << 3) | 0).uint64(1); // count, then again
      w.uint32((3 << 3) | 0).uint64(4);
      w.uint32((99 << 3) | 2).bytes(new Uint8Array([1, 2, 3])); // unknown
      w.uint32((98 << 3) | 1).fixed64(1);
      w.uint32((97 << 3) | 5).fixed32(1);
      w.uint32((2 << 3) | 0).uint32(230);
    });
    const { ours, theirs } = both(bytes);
    expect(ours).toEqual(theirs);
    expect(ours).toMatchObject({ nr: 230, count: 4, bucketIndex: [5, 9, 12], bucketCount: [11, 2 ** 40, 3] });
  });

  it('throws on a truncated varint or a packed run past its message', () => {
    const whole = message((w) => w.uint32((3 << 3) | 0).uint64(2 ** 40));
    expect(() => decodeSyscallStats(whole, 0, whole.length - 1)).toThrow(/past the end/);
    const packed = message((w) => w.uint32((7 << 3) | 2).fork().uint32(1).uint32(2).ldelim());
    expect(() => decodeSyscallStats(packed, 0, packed.length - 1)).toThrow(/past the end/);
  });

  it('is the decoder snapshots use, inside a whole frame', () => {
    const stats = { tgid: 0, nr: 1, count: 2 ** 53 + 2, errors: 0, totalNs: 5, maxNs: 3, bucketIndex: [1, 4], bucketCount: [1, 2 ** 53 + 1], offCpuNs: 0, runqNs: 0 };
    const bytes = encodeFrame({ snapshot: { seq: 1, monoNs: 10, syscalls: [stats], processes: [{ ...stats, tgid: 9 }] } });
    const { snapshot } = decodeFrame(bytes);
    // every field its own property (the generated messages keep defaults on their prototype)
    expect(snapshot!.syscalls[0]).toBeInstanceOf(syscallprof.SyscallStats);
    expect({ ...snapshot!.syscalls[0] }).toEqual(stats);
    expect({ ...snapshot!.processes[0] }).toEqual({ ...stats, tgid: 9 });
  });
});
