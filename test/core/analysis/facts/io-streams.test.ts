import { describe, expect, it } from 'vitest';
import { aggregateEventsWithFacts } from '../../../../src/core/analysis/aggregate-events.js';
import { isFilePath } from '../../../../src/core/analysis/facts/collector.js';
import { O_DSYNC, O_SYNC } from '../../../../src/core/analysis/facts/fd-flags.js';
import type { IoPattern } from '../../../../src/core/analysis/facts/io-pattern.js';
import { MAX_FILES, SMALL_IO_BYTES } from '../../../../src/core/analysis/facts/io-streams.js';
import { batchesOf, type SyscallEvent } from '../../../../src/core/model/events.js';
import { seededRandom } from '../../../helpers/random.js';
import { call, factsOf, openat, pread, read, times, write } from '../events.js';

const BLOCK = 4096;

// Offsets of n blocks: sequential, shuffled, or every other one sequential.
function offsets(kind: 'sequential' | 'random' | 'mixed', n: number): number[] {
  if (kind === 'sequential') return Array.from({ length: n }, (_, i) => i * BLOCK);
  if (kind === 'random') {
    const random = seededRandom(7);
    // distinct far-apart blocks, so no offset is ever the previous end
    return Array.from({ length: n }, (_, i) => ((i * 7919) % 100_003) * 3 * BLOCK + Math.floor(random() * 2) * BLOCK);
  }
  // pairs: a jump, then the block right after it (half sequential)
  return Array.from({ length: n }, (_, i) => (i % 2 === 0 ? i * 10 * BLOCK : (i - 1) * 10 * BLOCK + BLOCK));
}

describe('I/O streams', () => {
  it.each<['read' | 'pread', 'sequential' | 'random' | 'mixed', IoPattern]>([
    ['read', 'sequential', 'sequential'],
    ['read', 'random', 'random'],
    ['read', 'mixed', 'mixed'],
    ['pread', 'sequential', 'sequential'],
    ['pread', 'random', 'random'],
    ['pread', 'mixed', 'mixed'],
  ])('%s at %s offsets is %s, per fd and per file', async (kind, order, pattern) => {
    const calls = offsets(order, 40).map((off) => (kind === 'read' ? read(3, off, BLOCK) : pread(3, off, BLOCK)));
    const facts = await factsOf([openat('/data/file', 3), ...calls]);
    const fd = facts.fds.rows[0]!;
    expect(fd).toMatchObject({ path: '/data/file', pid: 100, fd: 3, fds: 1 });
    expect(fd.reads).toMatchObject({ ops: 40, bytes: 40 * BLOCK, comparedOps: 39, pattern, syscall: kind === 'read' ? 'read' : 'pread64' });
    expect(fd.pattern).toBe(pattern);
    const file = facts.files.rows[0]!;
    expect(file).toMatchObject({ path: '/data/file', pid: null, fd: null, ops: 40, pattern, extentBytes: Math.max(...offsets(order, 40)) + BLOCK });
  });

  it('counts the sequential share exactly: 20 of 39 for the mixed pairs', async () => {
    const facts = await factsOf(offsets('mixed', 40).map((off) => pread(3, off, BLOCK)));
    expect(facts.fds.rows[0]!.reads).toMatchObject({ comparedOps: 39, sequentialOps: 20 });
    expect(facts.fds.rows[0]!.sequentialShare).toBeCloseTo(20 / 39, 12);
  });

  it('compares each fd with its own previous end (two fds reading one file in turn are both sequential)', async () => {
    const events = times(20, (i) => [read(3, i * BLOCK, BLOCK), read(4, 1_000_000 + i * BLOCK, BLOCK)]);
    const facts = await factsOf(events);
    expect(facts.fds.rows.map((r) => [r.fd, r.pattern])).toEqual([
      [3, 'sequential'],
      [4, 'sequential'],
    ]);
    expect(facts.files.rows[0]).toMatchObject({ path: '/data/file', fds: 2, ops: 40, pattern: 'sequential' });
  });

  it('leaves the pattern unknown without offsets, and a short read moves the expected offset', async () => {
    const noPos = await factsOf(times(20, () => read(3, null, BLOCK)));
    expect(noPos.fds.rows[0]!.reads).toMatchObject({ comparedOps: 0, pattern: 'unknown' });
    expect(noPos.fds.rows[0]!.extentBytes).toBeNull();
    // a 100-byte read then the next one at 100: sequential
    const short = await factsOf([read(3, 0, 100, {}, BLOCK), ...times(9, (i) => read(3, 100 + i * BLOCK, BLOCK))]);
    expect(short.fds.rows[0]!.reads).toMatchObject({ comparedOps: 9, sequentialOps: 9 });
  });

  it('takes the file position for a preadv2 offset of -1', async () => {
    const events = times(10, (i) => call('preadv2', [3, 0, 1, -1], BLOCK, { pos: i * BLOCK, path: '/data/file' }));
    expect((await factsOf(events)).fds.rows[0]!.reads).toMatchObject({ comparedOps: 9, sequentialOps: 9 });
  });

  it('starts a new sequence after close, and keeps a reused fd number for another file apart', async () => {
    const events = [
      ...times(5, (i) => read(3, i * BLOCK, BLOCK)),
      call('close', [3], 0, { path: '/data/file' }),
      ...times(5, (i) => read(3, i * BLOCK, BLOCK)),
      read(3, 0, BLOCK, { path: '/data/other' }),
    ];
    const facts = await factsOf(events);
    // the read at 0 after close is not compared with the end before it
    expect(facts.fds.rows.find((r) => r.path === '/data/file')!.reads).toMatchObject({ ops: 10, comparedOps: 8, sequentialOps: 8 });
    expect(facts.fds.rows.find((r) => r.path === '/data/other')).toMatchObject({ fd: 3, ops: 1 });
  });

  it('counts bytes, small calls (by size asked), failures, time and the read/write ratio', async () => {
    const events = [
      read(3, 0, 100, { durationNs: 500 }, 100),
      // asked for 64 KiB, got 100 at the end of the file: not small
      read(3, 100, 100, { durationNs: 700 }, 65536),
      read(3, null, -11, { durationNs: 300 }),
      write(3, 0, 50, { path: '/data/file', durationNs: 2_000 }),
    ];
    const s = (await factsOf(events)).fds.rows[0]!;
    expect(s.reads).toMatchObject({ ops: 2, failed: 1, bytes: 200, totalNs: 1500, smallOps: 1, smallBytes: 100, smallNs: 500, avgBytes: 100 });
    expect(s.writes).toMatchObject({ ops: 1, bytes: 50, smallOps: 1, totalNs: 2000 });
    expect(s).toMatchObject({ ops: 3, bytes: 250, totalNs: 3500, readWriteRatio: 4 });
    expect(SMALL_IO_BYTES).toBe(4096);
  });

  it('counts writes on O_SYNC/O_DSYNC fds and files them under sync in the aggregate', async () => {
    const events = [
      openat('/db/wal', 3, O_SYNC | 1),
      openat('/db/log', 4, O_DSYNC | 1),
      openat('/db/data', 5, 1),
      ...times(3, (i) => write(3, i * 10, 10, { path: '/db/wal', durationNs: 1_000 })),
      write(4, 0, 10, { path: '/db/log', durationNs: 500 }),
      write(5, 0, 10, { path: '/db/data', durationNs: 70 }),
      call('dup2', [3, 8], 8),
      write(8, 30, 10, { path: '/db/wal', durationNs: 1_000 }),
      call('close', [3], 0, { path: '/db/wal' }),
      call('close', [8], 0, { path: '/db/wal' }),
      write(8, 0, 10, { path: '/db/wal', durationNs: 9 }),
    ];
    const { aggregate, facts } = await aggregateEventsWithFacts(batchesOf(events, 4));
    expect(facts).toMatchObject({ syncWrites: 5, syncWriteNs: 4_500 });
    expect(facts.fds.rows.find((r) => r.fd === 3)!.writes).toMatchObject({ syncOps: 3, syncNs: 3_000 });
    expect(aggregate.syscalls.find((s) => s.name === 'write')!.categories).toEqual([
      { category: 'sync', calls: 5, totalNs: 4_500, offCpuNs: null, runqNs: null },
      { category: 'disk-write', calls: 2, totalNs: 79, offCpuNs: null, runqNs: null },
    ]);
  });

  it('keeps at most MAX_FILES files apart and folds and counts the rest', async () => {
    const events = times(MAX_FILES + 5, (i) => read(3, 0, BLOCK, { path: `/f/${i}` }));
    const files = (await factsOf([...events, read(3, 0, BLOCK, { path: `/f/${MAX_FILES + 1}` })])).files;
    expect(files.rows).toHaveLength(MAX_FILES);
    expect(files.folded).toBe(5);
    expect(files.foldedAtLeast).toBe(false);
    expect(files.other).toMatchObject({ path: null, ops: 6, bytes: 6 * BLOCK });
  });

  it.each<[string, boolean]>([
    ['/etc/passwd', true],
    ['relative/file', true],
    ['socket:[1234]', false],
    ['socket:tcp 1.2.3.4:80', false],
    ['pipe:[9]', false],
    ['anon_inode:[eventfd]', false],
    ['memfd:x', false],
    ['stdout', false],
  ])('isFilePath(%s) is %s', (path, file) => {
    expect(isFilePath(path)).toBe(file);
  });

  it('gives no rows for no I/O', async () => {
    const facts = await factsOf([] as SyscallEvent[]);
    expect(facts.fds).toEqual({ rows: [], other: null, folded: 0, foldedAtLeast: false });
    expect(facts.files.rows).toEqual([]);
  });
});
