import { describe, expect, it } from 'vitest';
import type { SyscallEvent } from '../../../../src/core/model/events.js';
import { call, factsOf, openat } from '../events.js';

// A dynamically linked program's start as glibc 2.36's ld.so makes it (strace of `date`):
// execve, brk, mmap, the preload access, ld.so.cache, one library, the thread set-up, RELRO.
function start(pid: number, comm: string, at: number, libs = ['/lib/x86_64-linux-gnu/libc.so.6']): SyscallEvent[] {
  const e = (syscall: string, args: number[], ret: number, extra: Partial<SyscallEvent> = {}): SyscallEvent => call(syscall, args, ret, { pid, tid: pid, comm, durationNs: 1_000, ...extra });
  return [
    e('execve', [0, 0, 0], 0, { durationNs: 100_000 }),
    e('brk', [0], 0x1000),
    e('mmap', [0, 8192, 3, 0x22, -1, 0], 0x7000),
    e('access', [0, 4], -2, { path: '/etc/ld.so.preload' }),
    openat('/etc/ld.so.cache', 3, 0, { pid, tid: pid, comm }),
    e('newfstatat', [3, 0, 0, 0x1000], 0, { path: '/etc/ld.so.cache' }),
    e('mmap', [0, 4096, 1, 2, 3, 0], 0x8000),
    e('close', [3], 0, { path: '/etc/ld.so.cache' }),
    ...libs.flatMap((lib) => [openat(lib, 3, 0, { pid, tid: pid, comm }), e('read', [3, 0, 832], 832, { path: lib }), e('mmap', [0, 8192, 5, 2, 3, 0], 0x9000), e('close', [3], 0, { path: lib })]),
    e('arch_prctl', [0x1002, 0], 0),
    e('set_tid_address', [0], pid),
    e('set_robust_list', [0, 24], 0),
    e('rseq', [0, 32, 0, 0], 0),
    e('mprotect', [0, 4096, 1], 0),
    e('prlimit64', [0, 3, 0, 0], 0),
    e('munmap', [0x8000, 4096], 0),
    // main(): the program's own calls
    e('getrandom', [0, 8, 1], 8),
    e('brk', [0], 0x2000),
    openat('/etc/localtime', 3, 0, { pid, tid: pid, comm }),
  ].map((x, i) => ({ ...x, startNs: at + i * 10_000 }));
}

describe('StartupCollector', () => {
  it('follows an exec through the loader and ends where the program starts', async () => {
    const f = (await factsOf(start(10, 'date', 0))).startup;
    // 19 calls from execve to the cache's munmap; the span ends with munmap (18 x 10 us + 1 us)
    expect(f).toMatchObject({ starts: 1, calls: 19, libraries: 1, failedExecs: 0, totalNs: 18 * 10_000 + 1_000, syscallNs: 100_000 + 16 * 1_000 + 2 * 2_000 });
    expect(f.programs).toEqual([{ comm: 'date', starts: 1, totalNs: 18 * 10_000 + 1_000, syscallNs: f.syscallNs, libraries: 1 }]);
  });

  it('counts each program\'s starts, failed execvp attempts first, and nothing for a process that never execs', async () => {
    const failed = call('execve', [0, 0, 0], -2, { pid: 20, tid: 20, comm: 'make', startNs: 0, durationNs: 5_000 });
    const events = [
      failed,
      ...start(20, 'cc1', 1e6, ['/lib/x86_64-linux-gnu/libm.so.6', '/lib/x86_64-linux-gnu/libc.so.6']),
      ...start(21, 'cc1', 2e6, ['/lib/x86_64-linux-gnu/libm.so.6', '/lib/x86_64-linux-gnu/libc.so.6']),
      ...start(22, 'as', 3e6),
      call('write', [1, 0, 5], 5, { pid: 30, tid: 30, comm: 'sh', startNs: 4e6 }),
    ];
    const f = (await factsOf(events)).startup;
    expect(f).toMatchObject({ starts: 3, libraries: 5, failedExecs: 1, failedExecNs: 5_000 });
    expect(f.programs.map((p) => [p.comm, p.starts, p.libraries])).toEqual([
      ['cc1', 2, 4],
      ['as', 1, 1],
    ]);
  });

  it('has nothing for a capture without execs (empty data)', async () => {
    expect((await factsOf([])).startup).toEqual({ starts: 0, totalNs: 0, syscallNs: 0, calls: 0, libraries: 0, failedExecs: 0, failedExecNs: 0, programs: [], bySyscall: new Map() });
  });
});
