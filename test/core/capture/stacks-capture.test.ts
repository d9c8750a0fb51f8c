// Stacks in capture files: CSV's and Parquet's stack column and JSON lines' "stack" field as
// folded frames (written from the batches' stack table, read back into one),
// spb's stack ids kept through the merging of small batches, older CSV layouts
// still read; and the per-stack stats analysis rebuilds from the rows.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../../src/core/analysis/capture.js';
import { stackSections } from '../../../src/core/analysis/stacks.js';
import { openCapture } from '../../../src/core/backends/open-recording.js';
import { CSV_HEADER_V2 } from '../../../src/core/capture/csv-schema.js';
import type { CaptureFormat } from '../../../src/core/capture/format.js';
import { createCaptureWriter } from '../../../src/core/capture/writer.js';
import { batchesOf, type EventBatch, type SyscallEvent } from '../../../src/core/model/events.js';
import { foldFrames } from '../../../src/core/model/folded-stack.js';
import type { StackHealth } from '../../../src/core/model/stacks.js';
import { frame, FSYNC_PATH, stackDef, WRITE_PATH } from '../../helpers/stacks.js';
import { event, META, scratchDir } from './capture-helpers.js';
import { eventsFrame, eventStream } from './event-frames.js';
import { wireStackDef } from '../../helpers/stacks.js';

// a C++ frame whose name holds a comma and a quote: the CSV field must be quoted
const CPP_PATH = [frame('main'), frame('Db::commit(std::map<int, char>, "x")'), frame('fdatasync')];
const TABLE = new Map([
  [1, stackDef(1, 4242, FSYNC_PATH)],
  [2, stackDef(2, 4242, WRITE_PATH)],
  [3, stackDef(3, 4242, CPP_PATH)],
]);

function rows(): SyscallEvent[] {
  return [
    event({ syscall: 'fsync', durationNs: 3_000_000, stackId: 1, path: null }),
    event({ syscall: 'write', durationNs: 1_000, path: 'a,b' }),
    event({ syscall: 'write', durationNs: 2_000_000, stackId: 2 }),
    event({ syscall: 'fsync', durationNs: 5_000_000, stackId: 1 }),
    event({ syscall: 'fdatasync', durationNs: 4_000_000, stackId: 3, path: 'x\ny' }),
  ];
}

// what the loader said happened to the slow calls, recorded at the capture's end
const HEALTH: StackHealth = { slowCalls: 9, taken: 4, rateLimited: 3, lost: 2, unwoundFull: 3, unwoundPartial: 1, unwoundNone: 0, reasons: [{ reason: 'stack slice too short', count: 1 }] };

function write(format: CaptureFormat, events: readonly SyscallEvent[], stackHealth: StackHealth | null = null): string {
  const path = join(scratchDir(), `stacks.${format}`);
  const writer = createCaptureWriter(path, format, META);
  for (const b of batchesOf(events, 2)) {
    b.stacks = TABLE;
    writer.write(b);
  }
  writer.commit({ durationNs: 1e9, lostEvents: 0, stackHealth });
  return path;
}

// every row's folded stack ('' without one), read back
async function foldedOf(path: string): Promise<string[]> {
  const out: string[] = [];
  for await (const b of openCapture(path, { progress: null }).batches) {
    for (let i = 0; i < b.length; i++) out.push(b.stackId[i] === 0 ? '' : foldFrames(b.stacks!.get(b.stackId[i]!)!.frames));
  }
  return out;
}

const EXPECTED = [
  'main;ledger_run;ledger_durable_commit;fsync',
  '',
  'main;ledger_run;ledger_append;write',
  'main;ledger_run;ledger_durable_commit;fsync',
  'main;Db::commit(std::map<int, char>, "x");fdatasync',
];

describe.each(['csv', 'jsonl', 'parquet'] as const)('%s captures with stacks', (format) => {
  it('write each row\'s stack as folded frames and read it back', async () => {
    const path = write(format, rows());
    expect(await foldedOf(path)).toEqual(EXPECTED);
  });

  it('rebuild the per-stack stats from the rows', async () => {
    const analysis = await analyzeCapture(openCapture(write(format, rows()), { progress: null }));
    const sections = stackSections(analysis.stacks!);
    expect(sections.map((s) => [s.syscall, s.calls, s.totalNs])).toEqual([
      ['fsync', 2, 8_000_000],
      ['fdatasync', 1, 4_000_000],
      ['write', 1, 2_000_000],
    ]);
    expect(sections[0]!.stacks[0]).toMatchObject({ names: ['main', 'ledger_run', 'ledger_durable_commit', 'fsync'], calls: 2, share: 1, maxNs: 5_000_000 });
    expect(analysis.stacks!.health).toMatchObject({ slowCalls: null, taken: 4, rateLimited: null });
  });

  it('keep what happened to the slow calls, recorded at their end, as the health', async () => {
    const analysis = await analyzeCapture(openCapture(write(format, rows(), HEALTH), { progress: null }));
    expect(analysis.stacks!.health).toEqual(HEALTH);
    expect(analysis.meta.stackHealth).toEqual(HEALTH);
  });

  it('refuse a malformed stack health at their end', async () => {
    const path = write(format, rows(), HEALTH);
    const trailer = format === 'csv' ? `${path}.meta.json` : path;
    // Parquet: in the footer's metadata, edited in place (same length, the file stays whole)
    const enc = format === 'parquet' ? 'latin1' : 'utf8';
    writeFileSync(trailer, Buffer.from(readFileSync(trailer, enc).replace(/"taken": ?4/, '"taken":-4'), enc));
    // CSV and Parquet: when it opens (the metadata is read first); JSON lines: at its end line
    await expect((async () => analyzeCapture(openCapture(path, { progress: null })))()).rejects.toThrow(/stack_health: taken: expected a whole number/);
  });

  it('have no stacks when no row has one', async () => {
    const analysis = await analyzeCapture(openCapture(write(format, [event(), event({ syscall: 'write' })]), { progress: null }));
    expect(analysis.stacks).toBeNull();
  });
});

describe('CSV layouts', () => {
  it('writes the stack last, quoted when a frame holds a comma', () => {
    const text = readFileSync(write('csv', rows()), 'utf8').split('\n');
    expect(text[0]!.endsWith(',path,stack')).toBe(true);
    expect(text[1]!.endsWith(',,main;ledger_run;ledger_durable_commit;fsync')).toBe(true);
    expect(text[2]!.endsWith(',"a,b",')).toBe(true);
    expect(text.at(-2)).toBe('y","main;Db::commit(std::map<int, char>, ""x"");fdatasync"');
  });

  it('still reads captures written before the stack column', async () => {
    const path = join(scratchDir(), 'old.csv');
    writeFileSync(path, `${CSV_HEADER_V2}\n1735787045123456789,7,7,db,fsync,2500,0,,0x3,0x0,0x0,0x0,0x0,0x0,,,,"/a,b"\n`);
    expect(await foldedOf(path)).toEqual(['']);
  });

  it('refuses a stack column with an extra field', async () => {
    const path = write('csv', rows().slice(0, 1));
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[1] = `${lines[1]},extra`;
    writeFileSync(path, lines.join('\n'));
    await expect(foldedOf(path)).rejects.toThrow(/expected 19 fields/);
  });
});

describe('spb captures with stacks', () => {
  it('keep each row\'s stack id and the table when small batches are merged', async () => {
    const path = join(scratchDir(), 'stacks.spb');
    writeFileSync(
      path,
      eventStream(
        [
          eventsFrame([{ at: 10, nr: 74, stack: 1 }, { at: 20, nr: 0 }], [], [wireStackDef(1, 4242, FSYNC_PATH)]),
          eventsFrame([{ at: 30, nr: 1, stack: 2 }], [], [wireStackDef(2, 4242, WRITE_PATH)]),
          eventsFrame([{ at: 40, nr: 74, stack: 1 }]),
        ],
        {},
        { stacks: true },
      ),
    );
    const batches: EventBatch[] = [];
    for await (const b of openCapture(path, { progress: null, batchRows: 3 }).batches) batches.push(b);
    expect(batches.map((b) => [...b.stackId.subarray(0, b.length)])).toEqual([[1, 0, 2], [1]]);
    expect(batches[1]!.stacks).toBe(batches[0]!.stacks);
    expect(await foldedOf(path)).toEqual(['main;ledger_run;ledger_durable_commit;fsync', '', 'main;ledger_run;ledger_append;write', 'main;ledger_run;ledger_durable_commit;fsync']);
  });
});
