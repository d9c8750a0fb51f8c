import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countRows, SpbWindow } from '../../../src/core/capture/spb-window.js';
import { openSpbCapture } from '../../../src/core/capture/spb-reader.js';
import { encodeDelimited, Mode } from '../../helpers/frames.js';
import { scratch } from '../../helpers/kernel.js';
import { eventHeader, eventsFrame, type WireRow } from './event-frames.js';

const READ = 0;
const WRITE = 1;
const OPENAT = 257;
const MS = 1_000_000;
// the header's wall clock at START_MONO
const START_REAL = BigInt(Date.UTC(2025, 0, 2, 3, 4, 5)) * 1_000_000n;

const header = encodeDelimited(eventHeader({ mode: Mode.MODE_ALL, pids: [], command: [], startRealNs: Number(START_REAL) }));

// Writes a capture's bytes and reads them back: meta and every row.
async function readBack(bytes: Uint8Array): Promise<{ meta: ReturnType<typeof openSpbCapture>['meta']; rows: { pid: number; syscall: string; at: number; dur: number; path: string | null; comm: string }[] }> {
  const path = join(scratch(), 'w.spb');
  writeFileSync(path, bytes);
  const file = openSpbCapture(path, { progress: null });
  const rows = [];
  for await (const b of file.batches) {
    for (let i = 0; i < b.length; i++) rows.push({ pid: b.pid[i]!, syscall: b.syscall[i]!, at: b.startNs[i]!, dur: b.durationNs[i]!, path: b.path[i] ?? null, comm: b.comm[i]! });
  }
  return { meta: { ...file.meta, ...file.final().meta }, rows };
}

describe('SpbWindow', () => {
  it('writes the calls of one process, with its paths, its clock starting at its first call', async () => {
    const w = new SpbWindow({ windowMs: 10_000, maxEvents: 1000 });
    const rows1: WireRow[] = [
      { at: 100 * MS, dur: 5 * MS, pid: 20, nr: OPENAT, path: '/other' },
      { at: 150 * MS, dur: 2 * MS, pid: 10, nr: OPENAT, path: '/db/wal', ret: 5 },
      { at: 160 * MS, dur: 1 * MS, pid: 20, nr: WRITE },
    ];
    const rows2: WireRow[] = [{ at: 900 * MS, dur: 30 * MS, pid: 10, nr: READ, args: [5] }];
    w.push(Buffer.concat([header, eventsFrame(rows1), eventsFrame(rows2)]), 1000);
    expect(w.events).toBe(4);
    const got = w.capture(10, 'db', 1500)!;
    expect(got.rows).toBe(2);
    expect(got.spanNs).toBe(930 * MS - 150 * MS);
    const back = await readBack(got.bytes);
    expect(back.rows).toEqual([
      { pid: 10, syscall: 'openat', at: 0, dur: 2 * MS, path: '/db/wal', comm: 'db' },
      // the fd the kept openat returned
      { pid: 10, syscall: 'read', at: 750 * MS, dur: 30 * MS, path: '/db/wal', comm: 'db' },
    ]);
    // the wall clock moved with the start, exactly
    expect(back.meta.startRealNs).toBe(String(START_REAL + 150n * 1_000_000n));
    expect(back.meta.target).toContain('10');
    expect(back.meta.durationNs).toBe(780 * MS);
    // every process: all four rows
    expect(w.capture(null, null, 1500)!.rows).toBe(4);
    // nothing of a process the window never saw
    expect(w.capture(99, 'x', 1500)).toBeNull();
  });

  it('drops batches older than the window, and the oldest beyond maxEvents', () => {
    const byTime = new SpbWindow({ windowMs: 10_000, maxEvents: 1000 });
    byTime.push(header, 0);
    byTime.push(eventsFrame([{ at: 1 * MS, pid: 1, nr: READ }]), 0);
    byTime.push(eventsFrame([{ at: 2 * MS, pid: 1, nr: READ }]), 5000);
    byTime.push(eventsFrame([{ at: 3 * MS, pid: 1, nr: READ }]), 12_000);
    expect(byTime.events).toBe(2);
    expect(byTime.capture(1, 'a', 16_000)!.rows).toBe(1);

    const byCount = new SpbWindow({ windowMs: 60_000, maxEvents: 4 });
    byCount.push(header, 0);
    for (let i = 0; i < 5; i++) {
      byCount.push(
        eventsFrame([
          { at: i * MS, pid: 1, nr: READ },
          { at: i * MS + 1, pid: 1, nr: WRITE },
        ]),
        i,
      );
      expect(byCount.events).toBeLessThanOrEqual(4);
    }
    expect(byCount.events).toBe(4);
  });

  it('keeps frames split across chunks', () => {
    const w = new SpbWindow({ windowMs: 10_000, maxEvents: 1000 });
    const stream = Buffer.concat([header, eventsFrame([{ at: 5, pid: 3, nr: READ }])]);
    for (let i = 0; i < stream.length; i += 7) w.push(stream.subarray(i, i + 7), 0);
    expect(w.events).toBe(1);
  });

  it('counts rows without decoding the batch', () => {
    const rows: WireRow[] = Array.from({ length: 300 }, (_, i) => ({ at: i, pid: 100_000 + i, nr: READ }));
    const frame = eventsFrame(rows);
    // the frame without its length prefix (a varint), as the window keeps it
    let prefix = 0;
    while (frame[prefix]! >= 0x80) prefix += 1;
    expect(countRows(frame.subarray(prefix + 1))).toBe(300);
  });
});

describe('SpbWindow across loader runs', () => {
  it('drops the frame a dead loader left unfinished and reads the next run from its header', () => {
    const w = new SpbWindow({ windowMs: 10_000, maxEvents: 1000 });
    const first = Buffer.concat([header, eventsFrame([{ at: 1 * MS, pid: 5, nr: READ }])]);
    const cut = eventsFrame([{ at: 2 * MS, pid: 5, nr: READ }]);
    w.push(Buffer.concat([first, cut.subarray(0, cut.length - 3)]), 0);
    expect(w.events).toBe(1);
    w.newStream();
    w.push(Buffer.concat([header, eventsFrame([{ at: 3 * MS, pid: 5, nr: WRITE }])]), 1);
    expect(w.events).toBe(2);
    expect(w.capture(5, 'w', 2)!.rows).toBe(2);
  });
});
