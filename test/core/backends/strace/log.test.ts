import { mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { looksLikeStrace, openStraceLog } from '../../../../src/core/backends/strace/log.js';
import { assertFewBadLines } from '../../../../src/core/backends/strace/problems.js';
import { InputError } from '../../../../src/core/errors.js';
import { fixturePath, readLog } from './read-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'strace-log-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A recorded log with `bad` garbage lines spliced in after line 10.
function withGarbage(file: string, bad: number): string {
  const lines = readFileSync(fixturePath(file), 'utf8').split('\n');
  lines.splice(10, 0, ...Array.from({ length: bad }, (_, i) => `garbage ${i} <<<`));
  const path = join(dir, `${file}-${bad}.log`);
  writeFileSync(path, lines.join('\n'));
  return path;
}

describe('strace log import', () => {
  it.each([
    ['threads.log', true],
    ['plain.log', true],
    ['socket.log', true],
  ])('sniffs %s as strace: %s', (file, expected) => {
    expect(looksLikeStrace(readFileSync(fixturePath(file)).subarray(0, 64))).toBe(expected);
  });

  it.each([
    ['timestamp_ns,pid,tid,comm,syscall,duration_ns'],
    ['{"backend":"ebpf"}'],
    ['\x08\x01\x12'],
    [''],
  ])('does not sniff %j as strace', (text) => {
    expect(looksLikeStrace(Buffer.from(text))).toBe(false);
  });

  // socket.log has 546 lines: 5 bad lines are under 1%, 6 are over
  it.each([
    [5, false],
    [6, true],
  ])('%i garbage lines in socket.log: fatal %s', async (bad, fatal) => {
    const run = readLog(withGarbage('socket.log', bad));
    if (!fatal) {
      const { events, source } = await run;
      expect(events).toHaveLength(545);
      expect(source.problems().badLines).toBe(bad);
      expect(source.problems().firstBad[0]?.line).toBe(11);
      return;
    }
    const err = await run.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).exitCode).toBe(65);
    expect((err as InputError).message).toContain(`${bad} of 552 lines are not strace output (first at line 11`);
  });

  it('counts a line cut in the middle as one bad line', async () => {
    const text = readFileSync(fixturePath('socket.log'), 'utf8');
    const path = join(dir, 'cut.log');
    writeFileSync(path, text.slice(0, text.indexOf('"hi, there"') + 5));
    const { source } = await readLog(path);
    expect(source.problems().badLines).toBe(1);
  });

  it('rejects a file that is not strace output at all', () => {
    const path = join(dir, 'not.log');
    writeFileSync(path, 'timestamp_ns,pid\n1,2\n');
    expect(() => openStraceLog(path)).toThrow(InputError);
  });

  it('assertFewBadLines allows exactly 1%', () => {
    const p = { badLines: 1, firstBad: [{ line: 3, reason: 'x' }], unmatchedResumes: 0, noReturn: 0, untimed: 0, noPids: false, noTimes: false };
    expect(() => assertFewBadLines(p, 100)).not.toThrow();
    expect(() => assertFewBadLines(p, 99)).toThrow(/1 of 99 lines/);
  });
});
