import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AtomicFile, OutputError } from '../../../src/core/capture/atomic-file.js';
import { createCaptureWriter } from '../../../src/core/capture/writer.js';
import { batchesOf } from '../../../src/core/model/events.js';
import { event, META, scratchDir } from './capture-helpers.js';

describe('AtomicFile', () => {
  it('writes under a temporary name and renames on commit', () => {
    const dir = scratchDir();
    const path = join(dir, 'out.csv');
    const file = new AtomicFile(path);
    file.write('hello ');
    file.write(Buffer.from('world'));
    // exclusive and unpredictable by default: <path>.tmp-<pid>-<16 hex>
    expect(readdirSync(dir)).toEqual([expect.stringMatching(new RegExp(`^out\\.csv\\.tmp-${process.pid}-[0-9a-f]{16}$`))]);
    expect(file.commit()).toBe(11);
    expect(readdirSync(dir)).toEqual(['out.csv']);
    expect(readFileSync(path, 'utf8')).toBe('hello world');
  });

  it('uses an unpredictable name created exclusively', () => {
    const dir = scratchDir();
    const path = join(dir, 'check.xml');
    const a = new AtomicFile(path, { exclusive: true });
    const b = new AtomicFile(path, { exclusive: true });
    expect(a.tempPath).toMatch(new RegExp(`^${path.replace(/[.]/g, '\\.')}\\.tmp-${process.pid}-[0-9a-f]{16}$`));
    expect(b.tempPath).not.toBe(a.tempPath);
    expect(readdirSync(dir).sort()).toEqual([a.tempPath, b.tempPath].map((p) => p.slice(dir.length + 1)).sort());
    b.abort();
    a.write('<x/>');
    a.commit();
    expect(readdirSync(dir)).toEqual(['check.xml']);
    expect(readFileSync(path, 'utf8')).toBe('<x/>');
  });

  it('never writes through a symbolic link someone put in its way', () => {
    const dir = scratchDir();
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'precious\n');
    // the target itself is a link: refused, nothing created, the pointed-to file intact
    const link = join(dir, 'out.csv');
    symlinkSync(victim, link);
    expect(() => new AtomicFile(link)).toThrow(/out\.csv is a symbolic link: not replaced/);
    expect(readdirSync(dir).sort()).toEqual(['out.csv', 'victim']);
    // a link pre-created at the old, predictable temporary name is never used
    const path = join(dir, 'report.md');
    symlinkSync(victim, `${path}.tmp-${process.pid}`);
    const f = new AtomicFile(path);
    f.write('report\n');
    f.commit();
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(readFileSync(path, 'utf8')).toBe('report\n');
  });

  it('handles writes larger than its buffer', () => {
    const path = join(scratchDir(), 'big.bin');
    const file = new AtomicFile(path);
    const big = 'x'.repeat(3 << 20);
    file.write('a');
    file.write(big);
    file.write(Buffer.alloc(2 << 20, 0x79));
    file.commit();
    const back = readFileSync(path);
    expect(back.length).toBe(1 + (3 << 20) + (2 << 20));
    expect(back.subarray(0, 2).toString()).toBe('ax');
    expect(back.at(-1)).toBe(0x79);
  });

  it('leaves the previous file intact and no temporary file when a writer fails', () => {
    const dir = scratchDir();
    const path = join(dir, 'trace.csv');
    writeFileSync(path, 'the previous capture\n');
    const writer = createCaptureWriter(path, 'csv', META);
    writer.write(batchesOf([event()])[0]!);
    // the producer fails half way (a backend error, Ctrl-C three times...)
    writer.abort();
    expect(readFileSync(path, 'utf8')).toBe('the previous capture\n');
    expect(readdirSync(dir)).toEqual(['trace.csv']);
  });

  it('fails early, with OutputError, when the file cannot be created', () => {
    const path = join(scratchDir(), 'no-such-dir', 'x.csv');
    expect(() => new AtomicFile(path)).toThrow(OutputError);
    expect(() => new AtomicFile(path)).toThrow(`cannot create ${path}: no such directory`);
    expect(new OutputError('x').exitCode).toBe(74);
  });

  it('removes the temporary file when the rename fails, keeping what is there', () => {
    const dir = scratchDir();
    const path = join(dir, 'taken');
    const file = new AtomicFile(path);
    file.write('new');
    // a directory in the way: rename(2) fails with EISDIR
    mkdirSync(path);
    writeFileSync(join(path, 'inside'), 'old');
    expect(existsSync(file.tempPath)).toBe(true);
    expect(() => file.commit()).toThrow(OutputError);
    expect(existsSync(file.tempPath)).toBe(false);
    expect(readdirSync(dir)).toEqual(['taken']);
    expect(readFileSync(join(path, 'inside'), 'utf8')).toBe('old');
    rmSync(path, { recursive: true });
  });
});
