import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { numberedPath, writeNumbered } from '../../../src/core/capture/numbered-file.js';
import { scratch } from '../../helpers/kernel.js';

const bytes = (s: string): Uint8Array => Buffer.from(s);

describe('numbered files', () => {
  it.each([
    ['/d/f.spb', 1, '/d/f.spb'],
    ['/d/f.spb', 2, '/d/f-2.spb'],
    ['/d/a.b/f', 3, '/d/a.b/f-3'],
  ])('%s #%d is %s', (path, n, want) => {
    expect(numberedPath(path, n)).toBe(want);
  });

  it('takes the next free name, never over an existing file, up to the last', () => {
    const dir = scratch();
    const f = join(dir, 'cap.spb');
    writeFileSync(join(dir, 'cap-2.spb'), 'someone else');
    expect(writeNumbered(f, bytes('one'), { replace: false, from: 1, last: 4 })).toEqual({ path: f, n: 1 });
    expect(writeNumbered(f, bytes('two'), { replace: false, from: 2, last: 4 })).toEqual({ path: join(dir, 'cap-3.spb'), n: 3 });
    expect(writeNumbered(f, bytes('three'), { replace: false, from: 1, last: 4 })).toEqual({ path: join(dir, 'cap-4.spb'), n: 4 });
    expect(writeNumbered(f, bytes('four'), { replace: false, from: 1, last: 4 })).toBeNull();
    expect(readFileSync(join(dir, 'cap-2.spb'), 'utf8')).toBe('someone else');
    expect(readFileSync(f, 'utf8')).toBe('one');
    // no temporary file left behind
    expect(readdirSync(dir).sort()).toEqual(['cap-2.spb', 'cap-3.spb', 'cap-4.spb', 'cap.spb']);
  });

  it('replaces the file itself when asked', () => {
    const dir = scratch();
    const f = join(dir, 'cap.spb');
    writeNumbered(f, bytes('one'), { replace: true, from: 1, last: 1 });
    expect(writeNumbered(f, bytes('two'), { replace: true, from: 1, last: 1 })).toEqual({ path: f, n: 1 });
    expect(readFileSync(f, 'utf8')).toBe('two');
    expect(readdirSync(dir)).toEqual(['cap.spb']);
  });
});
