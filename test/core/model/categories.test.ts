import { describe, expect, it } from 'vitest';
import { categoryOf, categoryOfCall, categoryOfName, isWriteCall, CATEGORIES, CATEGORY_LABELS, dependsOnFd, isWaiting, type Category } from '../../../src/core/model/categories.js';

describe('categoryOf', () => {
  it.each<[string, string | null, Category]>([
    ['fsync', null, 'sync'],
    ['fdatasync', '/db/wal', 'sync'],
    ['sync_file_range', null, 'sync'],
    ['msync', null, 'sync'],
    ['read', null, 'disk-read'],
    ['read', '/etc/passwd', 'disk-read'],
    ['pread64', '/db/table', 'disk-read'],
    ['read', 'socket:[4242]', 'network'],
    ['readv', 'socket:[1]', 'network'],
    ['read', 'pipe:[77]', 'other'],
    ['read', 'anon_inode:[eventfd]', 'other'],
    ['write', '/tmp/out', 'disk-write'],
    ['pwritev2', null, 'disk-write'],
    ['write', 'socket:[9]', 'network'],
    ['sendto', null, 'network'],
    ['recvmsg', null, 'network'],
    ['connect', null, 'network'],
    ['accept4', null, 'network'],
    ['openat', '/etc/hosts', 'metadata'],
    ['newfstatat', null, 'metadata'],
    ['statx', null, 'metadata'],
    ['getdents64', null, 'metadata'],
    ['renameat2', null, 'metadata'],
    ['unlinkat', null, 'metadata'],
    ['mkdir', null, 'metadata'],
    ['epoll_wait', null, 'wait'],
    ['epoll_pwait', null, 'wait'],
    ['futex', null, 'wait'],
    ['clock_nanosleep', null, 'wait'],
    ['wait4', null, 'wait'],
    ['pselect6', null, 'wait'],
    ['mmap', null, 'memory'],
    ['brk', null, 'memory'],
    ['clone3', null, 'process'],
    ['execve', null, 'process'],
    ['exit_group', null, 'process'],
    ['getpid', null, 'other'],
    ['ioctl', 'socket:[1]', 'other'],
    ['syscall_999', null, 'other'],
  ])('%s on %s is %s', (syscall, path, category) => {
    expect(categoryOf(syscall, path)).toBe(category);
  });

  it('refines only the read/write family by fd', () => {
    expect(dependsOnFd('read')).toBe(true);
    expect(dependsOnFd('pwrite64')).toBe(true);
    expect(dependsOnFd('sendto')).toBe(false);
    expect(categoryOfName('fsync')).toBe('sync');
  });

  it('labels every category and treats only wait as waiting', () => {
    for (const c of CATEGORIES) expect(CATEGORY_LABELS[c]).not.toBe('');
    expect(CATEGORIES.filter(isWaiting)).toEqual(['wait']);
  });

  it.each<[string, string | null, boolean, Category]>([
    ['write', '/db/wal', true, 'sync'],
    ['pwrite64', '/db/wal', true, 'sync'],
    ['writev', null, true, 'sync'],
    ['write', '/db/wal', false, 'disk-write'],
    // a synced fd that is a socket or pipe is not a disk sync
    ['write', 'socket:[1]', true, 'network'],
    ['write', 'pipe:[1]', true, 'other'],
    // reads on an O_SYNC fd are plain reads
    ['read', '/db/wal', true, 'disk-read'],
    ['fsync', '/db/wal', false, 'sync'],
  ])('categoryOfCall(%s, %s, synced %s) is %s', (syscall, path, synced, category) => {
    expect(categoryOfCall(syscall, path, synced)).toBe(category);
  });

  it.each<[string, boolean]>([
    ['write', true],
    ['pwritev2', true],
    ['read', false],
    ['sendto', false],
  ])('isWriteCall(%s) is %s', (syscall, write) => {
    expect(isWriteCall(syscall)).toBe(write);
  });
});
