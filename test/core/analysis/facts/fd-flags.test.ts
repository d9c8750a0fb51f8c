import { describe, expect, it } from 'vitest';
import { FdFlags, MAX_TRACKED_FDS, O_DSYNC, O_NONBLOCK, O_SYNC, isSyncFlags } from '../../../../src/core/analysis/facts/fd-flags.js';
import { batchesOf, type SyscallEvent } from '../../../../src/core/model/events.js';
import { call, openat } from '../events.js';

const O_WRONLY = 1;
const O_CREAT = 0o100;

// The flags after feeding these calls in order.
function flagsAfter(events: SyscallEvent[]): FdFlags {
  const flags = new FdFlags();
  for (const batch of batchesOf(events, 3)) for (let i = 0; i < batch.length; i++) flags.observe(batch, i);
  return flags;
}

describe('FdFlags', () => {
  it.each<[string, SyscallEvent[], number, boolean]>([
    ['openat O_SYNC', [openat('/db/wal', 3, O_WRONLY | O_CREAT | O_SYNC)], 3, true],
    ['openat O_DSYNC', [openat('/db/wal', 3, O_WRONLY | O_DSYNC)], 3, true],
    ['openat without', [openat('/db/wal', 3, O_WRONLY | O_CREAT)], 3, false],
    ['open (flags in arg 1)', [call('open', [0, O_SYNC], 4)], 4, true],
    ['failed open sets nothing', [openat('/db/wal', -2, O_SYNC)], 3, false],
    ['creat is never sync', [call('creat', [0, 0o644], 5)], 5, false],
    ['dup copies', [openat('/db/wal', 3, O_SYNC), call('dup', [3], 7)], 7, true],
    ['dup2 copies to arg 1', [openat('/db/wal', 3, O_SYNC), call('dup2', [3, 9], 9)], 9, true],
    ['dup3 copies to arg 1', [openat('/db/wal', 3, O_SYNC), call('dup3', [3, 9, 0o2000000], 9)], 9, true],
    ['fcntl F_DUPFD copies', [openat('/db/wal', 3, O_SYNC), call('fcntl', [3, 0, 10], 10)], 10, true],
    ['dup keeps the original', [openat('/db/wal', 3, O_SYNC), call('dup', [3], 7)], 3, true],
    ['close drops', [openat('/db/wal', 3, O_SYNC), call('close', [3], 0)], 3, false],
    ['close of a dup keeps the original', [openat('/db/wal', 3, O_SYNC), call('dup', [3], 7), call('close', [7], 0)], 3, true],
    ['failed close keeps', [openat('/db/wal', 3, O_SYNC), call('close', [3], -9)], 3, true],
    ['reuse of the number by a plain open', [openat('/db/wal', 3, O_SYNC), call('close', [3], 0), openat('/tmp/x', 3, 0)], 3, false],
    ['dup2 over a sync fd from an unknown one', [openat('/db/wal', 3, O_SYNC), call('dup2', [20, 3], 3)], 3, false],
    ['close_range drops the range', [openat('/db/wal', 3, O_SYNC), openat('/db/b', 4, O_SYNC), call('close_range', [4, 0xffffffff, 0], 0)], 4, false],
    ['close_range leaves fds below', [openat('/db/wal', 3, O_SYNC), call('close_range', [4, 0xffffffff, 0], 0)], 3, true],
    ['close_range CLOEXEC only marks', [openat('/db/wal', 3, O_SYNC), call('close_range', [0, 0xffffffff, 4], 0)], 3, true],
    ['another process', [openat('/db/wal', 3, O_SYNC, { pid: 200 })], 3, false],
  ])('%s', (_name, events, fd, synced) => {
    expect(flagsAfter(events).synced(100, fd)).toBe(synced);
  });

  it.each<[string, SyscallEvent[], number, boolean]>([
    ['socket with SOCK_NONBLOCK', [call('socket', [2, 1 | 0o4000, 0], 5)], 5, true],
    ['plain socket', [call('socket', [2, 1, 0], 5)], 5, false],
    ['accept4 with SOCK_NONBLOCK', [call('accept4', [3, 0, 0, 0o4000], 6)], 6, true],
    ['accept is blocking', [call('accept', [3, 0, 0], 6)], 6, false],
    ['fcntl F_SETFL O_NONBLOCK', [call('socket', [2, 1, 0], 5), call('fcntl', [5, 4, O_NONBLOCK | 2], 0)], 5, true],
    ['fcntl F_SETFL clears it', [call('socket', [2, 1 | 0o4000, 0], 5), call('fcntl', [5, 4, 2], 0)], 5, false],
    ['openat O_NONBLOCK', [openat('/dev/ttyS0', 3, O_NONBLOCK)], 3, true],
  ])('non-blocking: %s', (_name, events, fd, nonBlocking) => {
    expect(flagsAfter(events).nonBlocking(100, fd)).toBe(nonBlocking);
  });

  it('F_SETFL does not clear O_SYNC', () => {
    expect(flagsAfter([openat('/db/wal', 3, O_SYNC), call('fcntl', [3, 4, O_NONBLOCK], 0)]).synced(100, 3)).toBe(true);
  });

  it('says which flags are sync', () => {
    expect([isSyncFlags(O_SYNC), isSyncFlags(O_DSYNC), isSyncFlags(O_WRONLY | O_CREAT), isSyncFlags(0o4000000)]).toEqual([true, true, false, false]);
  });

  it('follows at most MAX_TRACKED_FDS fds and forgets closed ones', () => {
    const opens = Array.from({ length: MAX_TRACKED_FDS + 10 }, (_, i) => openat('/f', i, O_SYNC));
    const flags = flagsAfter(opens);
    expect(flags.size).toBe(MAX_TRACKED_FDS);
    expect(flags.synced(100, MAX_TRACKED_FDS - 1)).toBe(true);
    expect(flags.get(100, MAX_TRACKED_FDS + 5)).toBeNull();
    expect(flagsAfter([openat('/f', 3, 0), call('close', [3], 0)]).size).toBe(0);
  });
});
