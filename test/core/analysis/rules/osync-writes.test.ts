import { describe, expect, it } from 'vitest';
import { osyncWrites, OSYNC_MIN_WRITES } from '../../../../src/core/analysis/rules/osync-writes.js';
import { O_DSYNC } from '../../../../src/core/analysis/facts/fd-flags.js';
import type { SyscallEvent } from '../../../../src/core/model/events.js';
import { contextOf, contextWithoutFacts, openat, times, write } from '../events.js';

const WAL = { path: '/db/wal' };
const synced = (n: number): SyscallEvent[] => [openat('/db/wal', 3, O_DSYNC | 1), ...times(n, (i) => write(3, i * 512, 512, { ...WAL, durationNs: 1_000_000 }))];

describe('osyncWrites', () => {
  it('fires for writes on an O_DSYNC fd; saving: (1 - 1/8) of their time', async () => {
    const [f, ...rest] = osyncWrites(await contextOf(synced(20), 1e9));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: 'osync-writes', syscall: 'write', metrics: { writes: 20, totalNs: 20e6, batch: 8 } });
    expect(f!.savingNs).toBeCloseTo(20e6 * (7 / 8), 3);
    expect(f!.subject.files).toEqual([{ path: '/db/wal', fd: 3, writes: 20, totalNs: 20e6 }]);
  });

  it.each<[string, SyscallEvent[], number]>([
    ['9 writes', synced(OSYNC_MIN_WRITES - 1), 0],
    ['10 writes', synced(OSYNC_MIN_WRITES), 1],
    ['plain fd', [openat('/db/wal', 3, 1), ...times(50, () => write(3, 0, 512, WAL))], 0],
    ['fd not seen opened', times(50, () => write(3, 0, 512, WAL)), 0],
  ])('%s', async (_name, events, n) => {
    expect(osyncWrites(await contextOf(events, 1e9))).toHaveLength(n);
  });

  it('stays quiet without per-call facts', async () => {
    expect(osyncWrites(await contextWithoutFacts(synced(100), 1e9))).toEqual([]);
  });
});
