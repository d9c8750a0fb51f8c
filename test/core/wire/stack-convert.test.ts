// Stacks through the wire: StackDef/StackStats/StackHealth in snapshots and
// stack ids with their definitions in event batches, into the model; the checks on them.
import { describe, expect, it } from 'vitest';
import { foldFrames } from '../../../src/core/model/folded-stack.js';
import type { EventChunk } from '../../../src/core/wire/event-types.js';
import { InvalidFrameError } from '../../../src/core/wire/frame-errors.js';
import { FrameReader } from '../../../src/core/wire/frame-reader.js';
import { syscallprof } from '../../../src/core/wire/proto.js';
import { FrameSession } from '../../../src/core/wire/session.js';
import { decodeFrame } from '../../../src/core/wire/wire.js';
import { eventBatchBytes, eventsFrame, eventStream } from '../capture/event-frames.js';
import { encodeFrame, headerFrame, snapshotFrame } from '../../helpers/frames.js';
import { FSYNC_PATH, WRITE_PATH, frame, wireStackDef, wireStackStats } from '../../helpers/stacks.js';

const FSYNC = 74;
const WRITE = 1;

function run(frames: Record<string, unknown>[]) {
  const session = new FrameSession('test stream');
  let last = null;
  frames.forEach((f, i) => {
    last = session.accept({ offset: i * 100, frame: decodeFrame(encodeFrame(f)) }) ?? last;
  });
  return last!;
}

describe('stacks in snapshots', () => {
  it('keeps definitions across snapshots and reads each snapshot\'s stats and health against them', () => {
    const profile = run([
      headerFrame({ stacks: true }),
      snapshotFrame({ seq: 1, stackDefs: [wireStackDef(1, 4242, FSYNC_PATH)], stacks: [wireStackStats(4242, FSYNC, 1, [2_000_000])] }),
      snapshotFrame({
        seq: 2,
        monoNs: 4_000_000_000,
        // stack 1 was defined one snapshot earlier: not sent again
        stackDefs: [wireStackDef(2, 4242, WRITE_PATH, { dwarf: true, partial: 'stack slice too short' })],
        stacks: [wireStackStats(4242, FSYNC, 1, [2_000_000, 3_000_000]), wireStackStats(4242, WRITE, 2, [1_500_000])],
        stackHealth: { slowCalls: 5, taken: 3, rateLimited: 2, unwoundFull: 2, unwoundPartial: 1, reasons: [{ reason: 'stack slice too short', count: 1 }] },
      }),
    ]);
    const stacks = profile.stacks!;
    expect(stacks.stats.map((s) => [s.syscall, s.stackId, s.count, s.totalNs, s.maxNs, s.histogram.total])).toEqual([
      ['fsync', 1, 2, 5_000_000, 3_000_000, 2],
      ['write', 2, 1, 1_500_000, 1_500_000, 1],
    ]);
    expect(foldFrames(stacks.defs.get(1)!.frames)).toBe('main;ledger_run;ledger_durable_commit;fsync');
    expect(stacks.defs.get(2)).toMatchObject({ unwind: 'dwarf', completeness: 'partial', reason: 'stack slice too short' });
    expect(stacks.health).toEqual({ slowCalls: 5, taken: 3, rateLimited: 2, lost: 0, unwoundFull: 2, unwoundPartial: 1, unwoundNone: 0, reasons: [{ reason: 'stack slice too short', count: 1 }] });
  });

  it('has no stacks when the header did not ask for them', () => {
    expect(run([headerFrame(), snapshotFrame()]).stacks).toBeNull();
  });

  it('keeps control characters of a symbol out of the model', () => {
    const profile = run([headerFrame({ stacks: true }), snapshotFrame({ stackDefs: [wireStackDef(1, 7, [frame('evil\u001b[2J')])], stacks: [wireStackStats(7, FSYNC, 1, [5])] })]);
    expect(profile.stacks!.defs.get(1)!.frames[0]!.symbol).toBe('evil?[2J');
  });

  it.each([
    ['stacks the header did not announce', {}, { stacks: [wireStackStats(1, FSYNC, 1, [5])] }, /header did not ask for them/],
    ['a stack id 0', { stacks: true }, { stacks: [wireStackStats(1, FSYNC, 0, [5])] }, /stack id 0/],
    ['a stats entry twice', { stacks: true }, { stacks: [wireStackStats(1, FSYNC, 1, [5]), wireStackStats(1, FSYNC, 1, [6])] }, /listed twice/],
    ['a definition with id 0', { stacks: true }, { stackDefs: [wireStackDef(0, 1, FSYNC_PATH)] }, /stack definition with id 0/],
    ['a bucket outside the layout', { stacks: true }, { stacks: [{ ...wireStackStats(1, FSYNC, 1, [5]), bucketIndex: [100000], bucketCount: [1] }] }, /bucket index 100000/],
  ])('refuses %s', (_name, header, snapshot, message) => {
    expect(() => run([headerFrame(header), snapshotFrame(snapshot)])).toThrow(InvalidFrameError);
    expect(() => run([headerFrame(header), snapshotFrame(snapshot)])).toThrow(message);
  });
});

describe('stacks in event batches', () => {
  function chunks(stream: Buffer): EventChunk[] {
    const out: EventChunk[] = [];
    const session = new FrameSession('test', { onEvents: (c) => out.push(c) });
    const reader = new FrameReader(decodeFrame, { source: 'test' });
    for (const f of reader.push(stream)) session.accept(f);
    reader.end();
    return out;
  }

  it('gives each row its stack id and every batch the stream\'s table, a definition sent once', () => {
    const stream = eventStream(
      [
        eventsFrame([{ at: 10, nr: FSYNC, stack: 1 }, { at: 20, nr: 0 }], [], [wireStackDef(1, 4242, FSYNC_PATH)]),
        eventsFrame([{ at: 30, nr: WRITE, stack: 2 }, { at: 40, nr: FSYNC, stack: 1 }], [], [wireStackDef(2, 4242, WRITE_PATH)]),
      ],
      {},
      { stacks: true },
    );
    const [a, b] = chunks(stream);
    expect([...a!.batch.stackId]).toEqual([1, 0]);
    expect([...b!.batch.stackId]).toEqual([2, 1]);
    expect(b!.batch.stacks).toBe(a!.batch.stacks);
    expect(foldFrames(b!.batch.stacks!.get(1)!.frames)).toBe('main;ledger_run;ledger_durable_commit;fsync');
    expect(foldFrames(b!.batch.stacks!.get(2)!.frames)).toBe('main;ledger_run;ledger_append;write');
    expect(b!.batch.row(0).stackId).toBe(2);
    expect(a!.batch.row(1).stackId).toBeUndefined();
  });

  it('leaves batches without a table when the header did not ask for stacks', () => {
    const [a] = chunks(eventStream([eventsFrame([{ at: 10, nr: 0 }])]));
    expect(a!.batch.stacks).toBeNull();
  });

  // an event frame of these batch bytes
  function frameOf(batch: Uint8Array): Buffer {
    const body = Buffer.concat([Buffer.from([0x1a, ...varint(batch.length)]), batch]);
    return Buffer.concat([Buffer.from(varint(body.length)), body]);
  }
  function varint(n: number): number[] {
    const out: number[] = [];
    do {
      out.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
      n >>>= 7;
    } while (n > 0);
    return out;
  }

  it('refuses a stack column of another length than the rows', () => {
    // two rows, then a packed stack_id column (field 18) of one value
    const batch = Buffer.concat([eventBatchBytes([{ at: 10, nr: 0 }, { at: 20, nr: 0 }]), Buffer.from([0x92, 0x01, 0x01, 0x05])]);
    expect(() => chunks(eventStream([frameOf(batch)], {}, { stacks: true }))).toThrow(/column stack_id has 1 values, start_ns has 2/);
  });

  it('refuses stacks in a stream whose header did not ask for them', () => {
    expect(() => chunks(eventStream([eventsFrame([{ at: 10, nr: 0, stack: 1 }])]))).toThrow(/header did not ask for them/);
  });

  it('reads the packed stack column of the hand decoder as the generated decoder does', () => {
    const rows = [{ at: 1, nr: 0, stack: 7 }, { at: 2, nr: 0 }, { at: 3, nr: 0, stack: 4_000_000_000 }];
    const bytes = eventsFrame(rows, [], [wireStackDef(7, 1, FSYNC_PATH)]);
    const reader = new FrameReader((b) => b, { source: 'test' });
    const [raw] = reader.push(bytes);
    const ours = decodeFrame(raw!.frame).events!;
    const generated = syscallprof.Frame.decode(raw!.frame).events!;
    expect([...ours.stackId]).toEqual(generated.stackId.map(Number));
    expect(ours.stackDefs.map((d) => d.id)).toEqual([7]);
  });
});
