// fd -> path of io_uring requests: as of each request's submission, between
// the calls of its batch that open and close the fd.
import { describe, expect, it } from 'vitest';
import { FdTable } from '../../../src/core/capture/fd-table.js';
import { batchesOf, type SyscallEvent } from '../../../src/core/model/events.js';
import { ioUringRequestsOf, type IoUringRequest } from '../../../src/core/model/io-uring-requests.js';
import { syscallNumber } from '../../../src/core/model/syscall-names.js';

// a call ending at `end` ns
function call(syscall: string, end: number, ret: number, args: number[], path: string | null = null): SyscallEvent {
  return { startNs: end - 1, durationNs: 1, pid: 100, tid: 100, comm: 'x', syscall, nr: syscallNumber('x86_64', syscall), ret, args: args.map(BigInt), pos: null, path };
}

// a request submitted at `at` ns
function req(at: number, fd: number, overrides: Partial<IoUringRequest> = {}): IoUringRequest {
  return { startNs: at, durationNs: 100, pid: 100, tid: 100, comm: 'x', opcode: 22, fd, fixedFile: false, offset: 0, length: 1, result: 1, punted: false, ring: 1, path: null, ...overrides };
}

// the requests' paths after one batch of these calls and requests (requests in completion order)
function paths(calls: SyscallEvent[], reqs: IoUringRequest[]): (string | null)[] {
  const [batch] = batchesOf(calls);
  batch!.ioUring = ioUringRequestsOf(reqs);
  new FdTable().annotate({ batch: batch!, extras: { sockaddr: new Map(), pipeFds: new Map() }, processChanges: [] });
  return batch!.ioUring.rows().map((r) => r.path);
}

describe('FdTable and io_uring requests', () => {
  it('names the file an fd stood for when the request was submitted', () => {
    const calls = [call('openat', 10, 5, [-100, 0, 0], '/a'), call('close', 20, 0, [5]), call('openat', 30, 5, [-100, 0, 0], '/b')];
    // completed out of order: the one submitted at 25 (fd 5 closed) first
    expect(paths(calls, [req(25, 5), req(15, 5), req(35, 5), req(5, 5)])).toEqual([null, '/a', '/b', null]);
  });

  it('leaves a fixed file unnamed (its index is not an fd), and forgets fds io_uring opened or closed', () => {
    const calls = [call('openat', 10, 3, [-100, 0, 0], '/a'), call('openat', 11, 4, [-100, 0, 0], '/c')];
    const reqs = [
      req(15, 3, { fixedFile: true }),
      req(16, 3),
      // an io_uring OPENAT that returned 3: fd 3 is no longer /a
      req(17, -100, { opcode: 18, result: 3 }),
      req(18, 3),
      // an io_uring CLOSE of fd 4
      req(19, 4, { opcode: 19, result: 0 }),
      req(20, 4),
    ];
    expect(paths(calls, reqs)).toEqual([null, '/a', null, null, null, null]);
  });
});
