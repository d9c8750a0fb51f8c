import { describe, expect, it } from 'vitest';
import { dirfdArg, fdClosing, fdCreation, fdUse, type FdCreation, type FdUse } from '../../../src/core/model/fd-syscalls.js';
import { syscallNumber } from '../../../src/core/model/syscall-names.js';

describe('fdUse', () => {
  it.each<[string, FdUse | null]>([
    ['read', { kind: 'fd', arg: 0 }],
    ['pwrite64', { kind: 'fd', arg: 0 }],
    ['preadv2', { kind: 'fd', arg: 0 }],
    ['fsync', { kind: 'fd', arg: 0 }],
    ['sync_file_range', { kind: 'fd', arg: 0 }],
    ['getdents64', { kind: 'fd', arg: 0 }],
    ['recvmmsg', { kind: 'fd', arg: 0 }],
    ['getpeername', { kind: 'fd', arg: 0 }],
    ['close', { kind: 'fd', arg: 0 }],
    ['epoll_ctl', { kind: 'fd', arg: 2 }],
    ['mmap', { kind: 'fd', arg: 4 }],
    ['sendfile', { kind: 'transfer', from: 1, to: 0 }],
    ['splice', { kind: 'transfer', from: 0, to: 2 }],
    ['copy_file_range', { kind: 'transfer', from: 0, to: 2 }],
    ['tee', { kind: 'transfer', from: 0, to: 1 }],
    ['openat', null],
    ['getpid', null],
  ])('%s', (name, use) => {
    expect(fdUse(name)).toEqual(use);
  });

  it('names only real x86_64 syscalls', () => {
    const names = ['read', 'write', 'fstat', 'lseek', 'ioctl', 'fcntl', 'ftruncate', 'fallocate', 'fadvise64', 'flock', 'sendto', 'sendmsg', 'sendmmsg', 'connect', 'accept', 'accept4', 'bind', 'listen', 'shutdown', 'getsockopt', 'setsockopt', 'getsockname', 'readv', 'writev', 'preadv', 'pwritev', 'pwritev2', 'fdatasync', 'recvfrom', 'recvmsg', 'pread64'];
    for (const name of names) {
      expect(syscallNumber('x86_64', name), name).not.toBeNull();
      expect(fdUse(name), name).not.toBeNull();
    }
  });
});

describe('dirfdArg', () => {
  it.each<[string, number | null]>([
    ['openat', 0],
    ['newfstatat', 0],
    ['statx', 0],
    ['renameat2', 0],
    ['symlinkat', 1],
    ['open', null],
    ['stat', null],
  ])('%s', (name, arg) => {
    expect(dirfdArg(name)).toBe(arg);
  });
});

describe('fdCreation and fdClosing', () => {
  it.each<[string, FdCreation | null]>([
    ['open', { kind: 'open' }],
    ['openat', { kind: 'open' }],
    ['openat2', { kind: 'open' }],
    ['creat', { kind: 'open' }],
    ['socket', { kind: 'socket' }],
    ['accept4', { kind: 'accept' }],
    ['pipe2', { kind: 'pair', label: 'pipe' }],
    ['socketpair', { kind: 'pair', label: 'socket:unix' }],
    ['dup', { kind: 'dup' }],
    ['dup3', { kind: 'dup-to' }],
    ['fcntl', { kind: 'fcntl' }],
    ['eventfd2', { kind: 'anon', name: 'anon_inode:[eventfd]' }],
    ['epoll_create1', { kind: 'anon', name: 'anon_inode:[eventpoll]' }],
    ['timerfd_create', { kind: 'anon', name: 'anon_inode:[timerfd]' }],
    ['signalfd4', { kind: 'anon', name: 'anon_inode:[signalfd]' }],
    ['inotify_init1', { kind: 'anon', name: 'anon_inode:inotify' }],
    ['memfd_create', { kind: 'memfd' }],
    ['read', null],
  ])('%s creates %o', (name, creation) => {
    expect(fdCreation(name)).toEqual(creation);
  });

  it.each<[string, 'one' | 'range' | null]>([
    ['close', 'one'],
    ['close_range', 'range'],
    ['shutdown', null],
  ])('%s closes %s', (name, closing) => {
    expect(fdClosing(name)).toBe(closing);
  });
});
