// The machine's load (recorded by sweep) travels in every capture format and
// comes back as it went in; a bad one is one clear error naming file and line.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AtomicFile } from '../../../src/core/capture/atomic-file.js';
import { SpbWriter } from '../../../src/core/capture/spb-writer.js';
import type { LoadLevel } from '../../../src/core/model/load.js';
import { event, fileWith, readCapture, rejection, scratchDir, writeCapture } from './capture-helpers.js';
import { eventsFrame, eventStream } from './event-frames.js';

const LOAD: LoadLevel = {
  label: 'medium',
  generator: 'stress-ng --cpu 2',
  workers: 2,
  windowNs: 3_000_000_000,
  cpuBusy: 0.97,
  cpuPressure: { some: 0.41, full: null },
  ioPressure: { some: 0.01, full: 0.005 },
  memoryPressure: { some: 0, full: 0 },
};

describe('load level in a capture', () => {
  it.each(['csv', 'jsonl'] as const)('%s: written in the trailer and read back', async (format) => {
    const path = writeCapture(format, [event()], undefined, { durationNs: 1e9, lostEvents: 0, load: LOAD });
    const { end } = await readCapture(path);
    expect(end.meta.load).toEqual(LOAD);
  });

  it('spb: a capture note after the final snapshot, read back', async () => {
    const path = join(scratchDir(), 'level.spb');
    const w = new SpbWriter(new AtomicFile(path));
    w.writeRaw(eventStream([eventsFrame([{ at: 10, nr: 0, ret: 1 }])]));
    w.commit({ durationNs: 1e9, lostEvents: 0, load: LOAD });
    const { end, events } = await readCapture(path);
    expect(events).toHaveLength(1);
    expect(end.meta.load).toEqual(LOAD);
  });

  it('is absent from captures that did not record it', async () => {
    const { end } = await readCapture(writeCapture('csv', [event()]));
    expect(end.meta.load).toBeUndefined();
  });

  it('a malformed load fails naming the file it is in', async () => {
    const path = writeCapture('csv', [event()], undefined, { durationNs: 1e9, lostEvents: 0, load: LOAD });
    const side = `${path}.meta.json`;
    writeFileSync(side, readFileSync(side, 'utf8').replace('"cpuBusy": 0.97', '"cpuBusy": "high"'));
    expect((await rejection(readCapture(path))).message).toBe(`${side}: load: cpuBusy: expected a share between 0 and 1 or null`);
    // and in an older CSV's # lines, with the line
    const old = fileWith('old.csv', `# syscall-prof capture v1\n# start_real_ns: 1\ntimestamp_ns,pid,tid,comm,syscall,duration_ns,ret,errno,arg0,arg1,arg2,arg3,arg4,arg5,pos,path\n# load: {"label": 3}\n`);
    expect((await rejection(readCapture(old))).message).toMatch(/old\.csv: line 4: load: label: expected a string or null/);
  });

  it('spb: a note before the final snapshot is corrupt input', async () => {
    const good = eventStream([]);
    const note = new SpbWriter(new AtomicFile(join(scratchDir(), 'n.spb')));
    note.writeRaw(good);
    note.commit({ durationNs: 1, lostEvents: 0, load: LOAD });
    const bytes = readFileSync(note.path);
    const noteFrame = bytes.subarray(good.length);
    // header + note + the rest: the note comes too early
    const headerEnd = firstFrameEnd(good);
    const bad = Buffer.concat([good.subarray(0, headerEnd), noteFrame, good.subarray(headerEnd)]);
    const path = join(scratchDir(), 'early.spb');
    writeFileSync(path, bad);
    const err = await rejection(readCapture(path));
    expect(err.message).toContain('capture note before the final snapshot');
  });
});

// the end of the first length-prefixed frame
function firstFrameEnd(b: Uint8Array): number {
  let len = 0;
  let shift = 0;
  let p = 0;
  for (;;) {
    const byte = b[p++]!;
    len += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) break;
  }
  return p + len;
}
