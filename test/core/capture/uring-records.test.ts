// io_uring per-request records in CSV (their own file beside the capture,
// named in the sidecar) and JSON lines ({"kind":"io_uring"} records): written
// and read back exactly; wrong records named with their file and line.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCapture } from '../../../src/core/backends/open-recording.js';
import type { CaptureFormat } from '../../../src/core/capture/format.js';
import { IO_URING_CSV_HEADER } from '../../../src/core/capture/uring-csv.js';
import { createCaptureWriter } from '../../../src/core/capture/writer.js';
import { InputError } from '../../../src/core/errors.js';
import { batchesOf, type SyscallEvent } from '../../../src/core/model/events.js';
import { ioUringRequestsOf, type IoUringRequest } from '../../../src/core/model/io-uring-requests.js';
import { event, META, rejection, scratchDir } from './capture-helpers.js';

// a request with defaults for what a test does not care about
function request(overrides: Partial<IoUringRequest> = {}): IoUringRequest {
  return {
    startNs: 2000,
    durationNs: 15_000,
    pid: 4242,
    tid: 4243,
    comm: 'db',
    opcode: 22,
    fd: 3,
    fixedFile: false,
    offset: 8192,
    length: 4096,
    result: 4096,
    punted: false,
    ring: 0xdeadbeef,
    path: '/var/lib/db/data',
    ...overrides,
  };
}

// a capture of these calls and, with the first batch, these requests
function write(format: CaptureFormat, events: readonly SyscallEvent[], requests: readonly IoUringRequest[]): string {
  const path = join(scratchDir(), `capture.${format}`);
  const writer = createCaptureWriter(path, format, META);
  const batches = batchesOf(events, 3);
  batches[0]!.ioUring = ioUringRequestsOf(requests);
  for (const b of batches) writer.write(b);
  writer.commit({ durationNs: 2_000_000_000, lostEvents: 0 });
  return path;
}

async function read(path: string): Promise<{ events: SyscallEvent[]; requests: IoUringRequest[] }> {
  const source = openCapture(path, { progress: null });
  const events: SyscallEvent[] = [];
  const requests: IoUringRequest[] = [];
  for await (const b of source.batches) {
    events.push(...b.rows());
    if (b.ioUring !== null) requests.push(...b.ioUring.rows());
  }
  return { events, requests };
}

const CASES: [string, Partial<IoUringRequest>][] = [
  ['a read', {}],
  ['a failed read', { result: -9, path: null }],
  ['a punted write', { opcode: 23, punted: true, result: 4096 }],
  ['an fsync', { opcode: 3, offset: 0, length: 0, result: 0 }],
  ['a fixed file', { fixedFile: true, fd: 0, path: null }],
  ['the file position (no offset)', { offset: null }],
  ['an offset beyond 4 GiB', { offset: 2 ** 40 + 4096 }],
  ['a path with commas, quotes and newlines', { path: '/tmp/a,b "c"\nd' }],
  ['a comm with a comma', { comm: 'x,y' }],
  ['an opcode this table does not know', { opcode: 200 }],
  ['before the capture started', { startNs: -5 }],
  ['the largest ring id', { ring: 2 ** 32 - 1 }],
];

describe.each(['csv', 'jsonl'] as const)('io_uring records in %s', (format) => {
  it.each(CASES)('round-trips %s', async (_name, overrides) => {
    const reqs = [request(), request(overrides), request({ startNs: 9000, opcode: 3, result: 0, length: 0 })];
    const events = [event(), event({ startNs: 5 }), event({ startNs: 7 }), event({ startNs: 9 })];
    const back = await read(write(format, events, reqs));
    expect(back.events).toEqual(events);
    expect(back.requests).toEqual(reqs);
  });

  it('writes no requests (and no requests file) for a capture without io_uring', async () => {
    const path = join(scratchDir(), `capture.${format}`);
    const writer = createCaptureWriter(path, format, META);
    for (const b of batchesOf([event()], 3)) writer.write(b);
    writer.commit({ durationNs: 1, lostEvents: 0 });
    expect(existsSync(join(path, '..', 'capture.io_uring.csv'))).toBe(false);
    expect((await read(path)).requests).toEqual([]);
  });
});

describe('io_uring records in CSV', () => {
  it('are a plain RFC 4180 file beside the capture, named with its row count in the sidecar', () => {
    const path = write('csv', [event()], [request(), request({ result: -9, path: null })]);
    const side = JSON.parse(readFileSync(`${path}.meta.json`, 'utf8')) as { io_uring: unknown };
    expect(side.io_uring).toEqual({ file: 'capture.io_uring.csv', rows: 2 });
    expect(readFileSync(join(path, '..', 'capture.io_uring.csv'), 'utf8').split('\n')).toEqual([
      IO_URING_CSV_HEADER,
      '1735787045123458789,4242,4243,db,read,3,false,/var/lib/db/data,8192,4096,4096,,15000,false,3735928559',
      '1735787045123458789,4242,4243,db,read,3,false,,8192,4096,-9,EBADF,15000,false,3735928559',
      '',
    ]);
  });

  it.each([
    ['a bad op', (t: string) => t.replace(',read,', ',reed,'), /capture\.io_uring\.csv.*line 2: op: unknown io_uring opcode "reed"/],
    ['a missing field', (t: string) => t.replace(',false,/var', ',/var'), /line 2: 14 fields, expected 15/],
    ['a flag not true or false', (t: string) => t.replace(',false,/var', ',yes,/var'), /line 2: fixed_file: expected true or false/],
    ['a row too many', (t: string) => `${t}${t.split('\n')[1]}\n`, /the sidecar says 1 io_uring requests, the file has 2/],
  ])('names the file and line of %s', async (_name, edit, message) => {
    const path = write('csv', [event()], [request()]);
    const file = join(path, '..', 'capture.io_uring.csv');
    writeFileSync(file, edit(readFileSync(file, 'utf8')));
    const err = await rejection(read(path));
    expect(err).toBeInstanceOf(InputError);
    expect(`${(err as InputError).file} ${err.message}`).toMatch(message);
  });
});

describe('io_uring records in JSON lines', () => {
  it('are {"kind":"io_uring"} lines after their batch, counted in the end line', () => {
    const path = write('jsonl', [event()], [request()]);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(JSON.parse(lines[2]!)).toEqual({
      kind: 'io_uring',
      timestamp_ns: '1735787045123458789',
      pid: 4242,
      tid: 4243,
      comm: 'db',
      op: 'read',
      fd: 3,
      fixed_file: false,
      path: '/var/lib/db/data',
      offset: 8192,
      length: 4096,
      result: 4096,
      errno: null,
      duration_ns: 15000,
      punted: false,
      ring: 3735928559,
    });
    expect(JSON.parse(lines[3]!).syscall_prof_end).toMatchObject({ rows: 1, io_uring_rows: 1 });
  });

  it('says which line holds a bad record', async () => {
    const path = write('jsonl', [event()], [request()]);
    writeFileSync(path, readFileSync(path, 'utf8').replace('"pid":4242,"tid":4243,"comm":"db","op"', '"pid":0,"tid":4243,"comm":"db","op"'));
    const err = await rejection(read(path));
    expect(err.message).toMatch(/line 3: io_uring record: pid: expected a whole number/);
  });
});
