// EventBatch.io_uring: encoded by protobufjs's generated encoder (independent
// of the hand-written decoder), decoded, validated and converted to the model.
import { describe, expect, it } from 'vitest';
import { EventConverter } from '../../../src/core/wire/event-convert.js';
import { syscallprof } from '../../../src/core/wire/proto.js';
import { eventBatchProblem } from '../../../src/core/wire/validate.js';
import { decodeFrame, type WireHeader } from '../../../src/core/wire/wire.js';
import { encodeFrame } from '../../helpers/frames.js';
import { eventHeader, START_MONO } from '../capture/event-frames.js';

const U64_MAX = '18446744073709551615';

function header(): WireHeader {
  return decodeFrame(encodeFrame(eventHeader())).header!;
}

// an EventBatch frame with no call rows and these requests (columns as the proto has them)
function batch(columns: Record<string, unknown[]>): Uint8Array {
  const ioUring = syscallprof.IoUringRequests.create(columns);
  return syscallprof.Frame.encode(syscallprof.Frame.create({ events: syscallprof.EventBatch.create({ ioUring }) })).finish();
}

const TWO = {
  startNs: [START_MONO + 100, START_MONO + 2 ** 40],
  durationNs: [5000, 2 ** 50],
  pid: [7, 7],
  tid: [7, 8],
  opcode: [22, 3],
  fd: [3, -1],
  offset: [2 ** 40 + 4096, U64_MAX],
  length: [4096, 0],
  result: [4096, -9],
  punted: [false, true],
  ring: [0xffffffff, 1],
  fixedFile: [true, false],
};

describe('EventBatch.io_uring', () => {
  it('decodes, validates and converts every column exactly', () => {
    const w = decodeFrame(batch(TWO)).events!;
    const h = header();
    expect(eventBatchProblem(w, h)).toBeNull();
    const { batch: b } = new EventConverter(h).convert(w);
    expect(b.length).toBe(0);
    expect(b.ioUring!.rows()).toEqual([
      { startNs: 100, durationNs: 5000, pid: 7, tid: 7, comm: '', opcode: 22, fd: 3, fixedFile: true, offset: 2 ** 40 + 4096, length: 4096, result: 4096, punted: false, ring: 0xffffffff, path: null },
      // ~0: the file position, no offset
      { startNs: 2 ** 40, durationNs: 2 ** 50, pid: 7, tid: 8, comm: '', opcode: 3, fd: -1, fixedFile: false, offset: null, length: 0, result: -9, punted: true, ring: 1, path: null },
    ]);
  });

  it('is null in a batch without requests', () => {
    expect(decodeFrame(syscallprof.Frame.encode(syscallprof.Frame.create({ events: {} })).finish()).events!.ioUring).toBeNull();
  });

  it.each([
    ['a short column', { ...TWO, result: [1] }, /io_uring column result has 1 values, start_ns has 2/],
    ['pid 0', { ...TWO, pid: [0, 7] }, /io_uring request 0 has pid 0/],
    ['an opcode above 255', { ...TWO, opcode: [256, 3] }, /opcode 256/],
  ])('rejects %s', (_name, columns, message) => {
    expect(eventBatchProblem(decodeFrame(batch(columns)).events!, header())).toMatch(message);
  });
});
