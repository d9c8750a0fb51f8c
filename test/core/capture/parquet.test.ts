import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { AtomicFile } from '../../../src/core/capture/atomic-file.js';
import { sniffFormat } from '../../../src/core/capture/format.js';
import { ParquetCaptureWriter } from '../../../src/core/capture/parquet-writer.js';
import { InputError } from '../../../src/core/errors.js';
import { batchesOf, type SyscallEvent } from '../../../src/core/model/events.js';
import { event, fileWith, META, readCapture, rejection, scratchDir, writeCapture } from './capture-helpers.js';

const U64_MAX = 2n ** 64n - 1n;

describe('Parquet round trip', () => {
  it.each<[string, Partial<SyscallEvent>]>([
    ['a plain read', {}],
    ['awkward text', { comm: 'a,"b"\n\u0001', path: '/tmp/\u2028x "y"\\z,\nnext' }],
    ['a failed call', { syscall: 'openat', ret: -2, pos: null, path: null }],
    ['64-bit args', { args: [U64_MAX, 0n, 2n ** 32n, 2n ** 63n, 1n, 0xabcdefn] }],
    ['before the start', { startNs: -1 }],
    ['on and off the CPU', { syscall: 'fsync', offCpuNs: 900_000, runqNs: 12_345 }],
  ])('%s', async (_name, overrides) => {
    const path = writeCapture('parquet', [event(), event(overrides)]);
    const { events, end } = await readCapture(path);
    expect(events).toEqual([event(), event(overrides)]);
    expect(end.meta).toEqual({ ...META, durationNs: 2_000_000_000, lostEvents: 3 });
  });

  it('keeps every row and their order across row groups and batches', async () => {
    const many = Array.from({ length: 1000 }, (_, i) => event({ startNs: i * 10, durationNs: i, ret: i % 7 === 0 ? -11 : i, tid: 4243 + (i % 3) }));
    const path = join(scratchDir(), 'many.parquet');
    // row groups of 64 rows: 16 groups, the last one short
    const w = new ParquetCaptureWriter(new AtomicFile(path), META, 64);
    for (const b of batchesOf(many, 100)) w.write(b);
    expect(w.rows).toBe(1000);
    w.commit({ durationNs: 1e6, lostEvents: 0 });
    const { events, sizes } = await readCapture(path, { batchRows: 50 });
    expect(events).toEqual(many);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(50);
  });

  it('an empty capture has its metadata and no rows', async () => {
    const path = writeCapture('parquet', []);
    const { events, end } = await readCapture(path);
    expect(events).toEqual([]);
    expect(end.meta.target).toBe(META.target);
  });

  it('is told by its first bytes', () => {
    const path = writeCapture('parquet', [event()]);
    expect(sniffFormat(readFileSync(path).subarray(0, 16))).toBe('parquet');
  });
});

describe('Parquet input errors are one line naming the file', () => {
  it('a file cut short has no footer', async () => {
    const path = writeCapture('parquet', [event(), event()]);
    truncateSync(path, readFileSync(path).length - 10);
    const err = await rejection(readCapture(path));
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toBe(`${path}: no Parquet footer (the file was cut short, or is still being written)`);
  });

  it('a Parquet file of something else', async () => {
    const other = parquetWriteBuffer({ columnData: [{ name: 'x', data: [1, 2, 3], type: 'INT32' }] });
    const path = fileWith('other.parquet', new Uint8Array(other));
    const err = await rejection(readCapture(path));
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toBe(`${path}: no "syscall-prof" key-value metadata: a Parquet file, but not a syscall-prof capture`);
  });

  it('a footer whose row count disagrees with the metadata', async () => {
    // the metadata of a 2-row capture on a 1-row file
    const path = writeCapture('parquet', [event()]);
    const bytes = readFileSync(path);
    const text = bytes.toString('latin1').replace('"rows": 1,', '"rows": 2,');
    writeFileSync(path, Buffer.from(text, 'latin1'));
    const err = await rejection(readCapture(path));
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toBe(`${path}: the metadata says 2 rows, the file holds 1`);
  });
});
