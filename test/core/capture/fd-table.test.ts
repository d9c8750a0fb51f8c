import { describe, expect, it } from 'vitest';
import type { ProcessChange } from '../../../src/core/wire/event-types.js';
import { FdTable, socketDescription } from '../../../src/core/capture/fd-table.js';
import { batchesOf, type SyscallEvent } from '../../../src/core/model/events.js';
import { syscallNumber } from '../../../src/core/model/syscall-names.js';

// One call: syscall, return value, args; `path` as the kernel captured it, and
// the extras some calls carry (sockaddr bytes, pipe fds).
interface Call {
  readonly sc: string;
  readonly ret?: number;
  readonly args?: readonly (number | bigint)[];
  readonly path?: string;
  readonly pid?: number;
  readonly sockaddr?: Uint8Array;
  readonly pipe?: readonly [number, number];
}

const inet = (port: number, a: number, b: number, c: number, d: number) => Uint8Array.from([2, 0, port >> 8, port & 0xff, a, b, c, d, 0, 0, 0, 0, 0, 0, 0, 0]);

// Runs the calls (one per ns) through a fresh table and returns each row's path.
function paths(calls: readonly Call[], changes: readonly ProcessChange[] = [], table = new FdTable()): (string | null)[] {
  const events: SyscallEvent[] = calls.map((c, i) => ({
    startNs: i * 10,
    durationNs: 1,
    pid: c.pid ?? 100,
    tid: c.pid ?? 100,
    comm: 'x',
    syscall: c.sc,
    nr: syscallNumber('x86_64', c.sc),
    ret: c.ret ?? 0,
    args: (c.args ?? []).map((a) => BigInt.asUintN(64, BigInt(a))),
    pos: null,
    path: c.path ?? null,
  }));
  const [batch] = batchesOf(events);
  const sockaddr = new Map<number, Uint8Array>();
  const pipeFds = new Map<number, readonly [number, number]>();
  calls.forEach((c, i) => {
    if (c.sockaddr) sockaddr.set(i, c.sockaddr);
    if (c.pipe) pipeFds.set(i, c.pipe);
  });
  table.annotate({ batch: batch!, extras: { sockaddr, pipeFds }, processChanges: changes });
  return batch!.rows().map((r) => r.path);
}

const AT_FDCWD = -100;

describe('FdTable rules', () => {
  it.each<[string, Call[], (string | null)[]]>([
    ['open success names the fd', [{ sc: 'openat', args: [AT_FDCWD, 0], path: '/etc/hosts', ret: 3 }, { sc: 'read', args: [3] }], ['/etc/hosts', '/etc/hosts']],
    ['open, creat and openat2 all count', [{ sc: 'open', path: '/a', ret: 4 }, { sc: 'creat', path: '/b', ret: 5 }, { sc: 'openat2', path: '/c', ret: 6 }, { sc: 'write', args: [4] }, { sc: 'write', args: [5] }, { sc: 'fsync', args: [6] }], ['/a', '/b', '/c', '/a', '/b', '/c']],
    ['failed open creates nothing', [{ sc: 'openat', path: '/nope', ret: -2 }, { sc: 'read', args: [3] }], ['/nope', null]],
    ['stdin/stdout/stderr by default', [{ sc: 'read', args: [0] }, { sc: 'write', args: [1] }, { sc: 'write', args: [2] }, { sc: 'write', args: [7] }], ['stdin', 'stdout', 'stderr', null]],
    ['close forgets, even stdout', [{ sc: 'close', args: [1] }, { sc: 'write', args: [1] }], ['stdout', null]],
    ['failed close keeps', [{ sc: 'close', args: [1], ret: -9 }, { sc: 'write', args: [1] }], ['stdout', 'stdout']],
    ['reassigned 1 after close', [{ sc: 'close', args: [1] }, { sc: 'openat', path: '/log', ret: 1 }, { sc: 'write', args: [1] }], ['stdout', '/log', '/log']],
    ['close_range closes the range', [{ sc: 'openat', path: '/a', ret: 3 }, { sc: 'openat', path: '/b', ret: 4 }, { sc: 'openat', path: '/c', ret: 9 }, { sc: 'close_range', args: [4, 0xffffffff, 0] }, { sc: 'read', args: [3] }, { sc: 'read', args: [4] }, { sc: 'read', args: [9] }], ['/a', '/b', '/c', null, '/a', null, null]],
    ['close_range with CLOEXEC closes nothing', [{ sc: 'openat', path: '/a', ret: 3 }, { sc: 'close_range', args: [3, 10, 4] }, { sc: 'read', args: [3] }], ['/a', null, '/a']],
    ['dup copies', [{ sc: 'openat', path: '/a', ret: 3 }, { sc: 'dup', args: [3], ret: 5 }, { sc: 'read', args: [5] }], ['/a', '/a', '/a']],
    ['dup2 replaces the target', [{ sc: 'openat', path: '/log', ret: 3 }, { sc: 'dup2', args: [3, 1], ret: 1 }, { sc: 'write', args: [1] }], ['/log', '/log', '/log']],
    ['dup3 replaces the target', [{ sc: 'openat', path: '/log', ret: 3 }, { sc: 'dup3', args: [3, 2, 0x80000], ret: 2 }, { sc: 'write', args: [2] }], ['/log', '/log', '/log']],
    ['fcntl F_DUPFD copies', [{ sc: 'openat', path: '/a', ret: 3 }, { sc: 'fcntl', args: [3, 0, 10], ret: 10 }, { sc: 'read', args: [10] }], ['/a', '/a', '/a']],
    ['fcntl F_DUPFD_CLOEXEC copies', [{ sc: 'openat', path: '/a', ret: 3 }, { sc: 'fcntl', args: [3, 1030, 10], ret: 11 }, { sc: 'read', args: [11] }], ['/a', '/a', '/a']],
    ['fcntl F_GETFL creates nothing', [{ sc: 'openat', path: '/a', ret: 3 }, { sc: 'fcntl', args: [3, 3], ret: 2 }, { sc: 'read', args: [2] }], ['/a', '/a', 'stderr']],
    ['tcp socket then connect', [{ sc: 'socket', args: [2, 1 | 0x80000], ret: 3 }, { sc: 'connect', args: [3], sockaddr: inet(5432, 127, 0, 0, 1) }, { sc: 'write', args: [3] }], [null, 'socket:tcp 127.0.0.1:5432', 'socket:tcp 127.0.0.1:5432']],
    ['non-blocking connect (EINPROGRESS) still sets the peer', [{ sc: 'socket', args: [2, 1 | 0x800], ret: 3 }, { sc: 'connect', args: [3], ret: -115, sockaddr: inet(80, 10, 0, 0, 1) }, { sc: 'sendto', args: [3] }], [null, 'socket:tcp 10.0.0.1:80', 'socket:tcp 10.0.0.1:80']],
    ['refused connect names the address on its row only, leaving the socket bare', [{ sc: 'socket', args: [2, 1], ret: 3 }, { sc: 'connect', args: [3], ret: -111, sockaddr: inet(81, 10, 0, 0, 1) }, { sc: 'write', args: [3] }], [null, 'socket:tcp 10.0.0.1:81', 'socket:tcp']],
    ['udp6 socket', [{ sc: 'socket', args: [10, 2], ret: 4 }, { sc: 'sendto', args: [4] }], [null, 'socket:udp6']],
    ['bind and accept', [{ sc: 'socket', args: [2, 1], ret: 3 }, { sc: 'bind', args: [3], sockaddr: inet(8080, 0, 0, 0, 0) }, { sc: 'accept4', args: [3], ret: 7, sockaddr: inet(40000, 192, 168, 1, 9) }, { sc: 'read', args: [7] }], [null, 'socket:tcp', 'socket:tcp 0.0.0.0:8080', 'socket:tcp 192.168.1.9:40000']],
    ['accept on an unknown socket uses the family', [{ sc: 'accept', args: [9], ret: 7, sockaddr: inet(1, 1, 2, 3, 4) }, { sc: 'read', args: [7] }], [null, 'socket:inet 1.2.3.4:1']],
    ['connect on an unknown fd', [{ sc: 'connect', args: [9], sockaddr: inet(6379, 127, 0, 0, 1) }, { sc: 'write', args: [9] }], ['socket:inet 127.0.0.1:6379', 'socket:inet 127.0.0.1:6379']],
    ['pipe2 read and write ends', [{ sc: 'pipe2', pipe: [5, 6] }, { sc: 'read', args: [5] }, { sc: 'write', args: [6] }], [null, 'pipe:[r]', 'pipe:[w]']],
    ['failed pipe creates nothing', [{ sc: 'pipe', ret: -24, pipe: [5, 6] }, { sc: 'read', args: [5] }], [null, null]],
    ['socketpair', [{ sc: 'socketpair', pipe: [3, 4] }, { sc: 'sendmsg', args: [4] }], [null, 'socket:unix']],
    ['eventfd, epoll, timerfd', [{ sc: 'eventfd2', ret: 3 }, { sc: 'epoll_create1', ret: 4 }, { sc: 'timerfd_create', ret: 5 }, { sc: 'epoll_ctl', args: [4, 1, 3] }, { sc: 'epoll_wait', args: [4] }, { sc: 'read', args: [5] }], [null, null, null, 'anon_inode:[eventfd]', 'anon_inode:[eventpoll]', 'anon_inode:[timerfd]']],
    ['memfd', [{ sc: 'memfd_create', path: 'jit', ret: 3 }, { sc: 'ftruncate', args: [3] }], ['jit', 'memfd:jit']],
    ['mmap of a file, and anonymous', [{ sc: 'openat', path: '/lib/libc.so.6', ret: 3 }, { sc: 'mmap', args: [0, 4096, 1, 2, 3, 0] }, { sc: 'mmap', args: [0, 4096, 3, 0x22, -1, 0] }], ['/lib/libc.so.6', '/lib/libc.so.6', null]],
    ['sendfile goes from in to out', [{ sc: 'openat', path: '/www/a.html', ret: 3 }, { sc: 'socket', args: [2, 1], ret: 4 }, { sc: 'sendfile', args: [4, 3, 0, 100] }], ['/www/a.html', null, '/www/a.html -> socket:tcp']],
    ['copy_file_range with an unknown side', [{ sc: 'openat', path: '/src', ret: 3 }, { sc: 'copy_file_range', args: [3, 0, 8, 0, 10, 0] }], ['/src', '/src -> fd 8']],
    ['fstat as newfstatat(fd, "", AT_EMPTY_PATH) names the fd', [{ sc: 'openat', args: [AT_FDCWD], path: '/a', ret: 3 }, { sc: 'newfstatat', args: [3, 0, 0, 0x1000], path: '' }], ['/a', '/a']],
    ['a path relative to a directory fd', [{ sc: 'openat', args: [AT_FDCWD], path: '/var/lib/', ret: 3 }, { sc: 'openat', args: [3], path: 'db/x', ret: 4 }, { sc: 'read', args: [4] }], ['/var/lib/', '/var/lib/db/x', '/var/lib/db/x']],
    ['a relative path to the working directory stays relative', [{ sc: 'openat', args: [AT_FDCWD], path: 'rel', ret: 3 }, { sc: 'read', args: [3] }], ['rel', 'rel']],
    ['a relative path to an unknown directory fd', [{ sc: 'unlinkat', args: [9], path: 'x' }], ['x']],
    ['an absolute path ignores the directory fd', [{ sc: 'openat', path: '/d', ret: 3 }, { sc: 'statx', args: [3], path: '/etc/x' }], ['/d', '/etc/x']],
    ['symlinkat takes its directory fd second', [{ sc: 'openat', path: '/d', ret: 5 }, { sc: 'symlinkat', args: [0, 5], path: 'link' }], ['/d', '/d/link']],
    ['path-taking calls keep their path', [{ sc: 'newfstatat', args: [AT_FDCWD], path: '/etc/passwd', ret: -2 }, { sc: 'unlink', path: '/tmp/x' }], ['/etc/passwd', '/tmp/x']],
  ])('%s', (_name, calls, expected) => {
    expect(paths(calls)).toEqual(expected);
  });

  it('gives a forked child a copy of the parent table, not shared afterwards', () => {
    const fork: ProcessChange = { kind: 'fork', timeNs: 15, pid: 100, child: 200, comm: 'x' };
    const calls: Call[] = [
      { sc: 'openat', path: '/a', ret: 3 },
      { sc: 'clone', ret: 200 },
      { sc: 'read', args: [3], pid: 200 },
      { sc: 'close', args: [3], pid: 200 },
      { sc: 'read', args: [3], pid: 100 },
      { sc: 'read', args: [3], pid: 200 },
    ];
    expect(paths(calls, [fork])).toEqual(['/a', null, '/a', '/a', '/a', null]);
  });

  it('keeps the table across exec and drops it a batch after exit', () => {
    const table = new FdTable();
    const exec: ProcessChange = { kind: 'exec', timeNs: 5, pid: 100, comm: 'y' };
    expect(paths([{ sc: 'openat', path: '/a', ret: 3 }, { sc: 'read', args: [3] }], [exec], table)).toEqual(['/a', '/a']);
    const exit: ProcessChange = { kind: 'exit', timeNs: 5, pid: 100, comm: 'y' };
    // rows ending after the exit in the same batch (other threads) still see it
    expect(paths([{ sc: 'read', args: [3] }, { sc: 'read', args: [3] }], [exit], table)).toEqual(['/a', '/a']);
    expect(paths([{ sc: 'read', args: [3] }], [], table)).toEqual(['/a']);
    // gone after the next batch: a reused pid starts fresh
    expect(paths([{ sc: 'read', args: [3] }], [], table)).toEqual([null]);
  });

  it('starts a --pid target from what /proc showed', () => {
    const table = new FdTable();
    table.seed(100, new Map([[7, '/var/lib/db/wal'], [8, 'socket:[1234]']]));
    expect(paths([{ sc: 'write', args: [7] }, { sc: 'recvfrom', args: [8] }, { sc: 'write', args: [1] }], [], table)).toEqual(['/var/lib/db/wal', 'socket:[1234]', null]);
  });
});

describe('socketDescription', () => {
  it.each<[number, number, string]>([
    [2, 1, 'socket:tcp'],
    [2, 2, 'socket:udp'],
    [10, 1, 'socket:tcp6'],
    [10, 2 | 0x80000, 'socket:udp6'],
    [1, 1, 'socket:unix'],
    [1, 5, 'socket:unix'],
    [2, 3, 'socket:inet/3'],
    [16, 3, 'socket:netlink'],
    [40, 1, 'socket:40/1'],
  ])('family %d type %d', (family, type, text) => {
    expect(socketDescription(family, type)).toBe(text);
  });
});
