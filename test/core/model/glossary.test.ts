import { describe, expect, it } from 'vitest';
import { categoryOfName } from '../../../src/core/model/categories.js';
import { glossaryLine, glossaryNames, syscallMeaning } from '../../../src/core/model/glossary.js';
import { syscallTable } from '../../../src/core/model/syscall-names.js';

const X86_64_SYSCALLS = syscallTable('x86_64')!;

// What ordinary programs call (glibc start-up, file I/O, threads, servers, shells).
const COMMON = `read write open close stat fstat lstat poll lseek mmap mprotect munmap brk rt_sigaction
rt_sigprocmask rt_sigreturn ioctl pread64 pwrite64 readv writev access pipe select sched_yield mremap
msync mincore madvise dup dup2 nanosleep getpid sendfile socket connect accept sendto recvfrom sendmsg
recvmsg shutdown bind listen getsockname getpeername socketpair setsockopt getsockopt clone fork vfork
execve exit wait4 kill uname fcntl flock fsync fdatasync truncate ftruncate getdents getcwd chdir rename
mkdir rmdir unlink readlink chmod chown umask gettimeofday getrlimit getrusage sysinfo getuid getgid
geteuid getegid getppid getpgrp setsid prctl arch_prctl gettid futex sched_getaffinity getdents64
set_tid_address clock_gettime clock_nanosleep exit_group epoll_wait epoll_ctl tgkill openat newfstatat
unlinkat renameat readlinkat faccessat pselect6 ppoll set_robust_list epoll_pwait eventfd2 epoll_create1
dup3 pipe2 accept4 prlimit64 getrandom memfd_create statx rseq clone3 close_range faccessat2 io_uring_setup
io_uring_enter timerfd_create timerfd_settime signalfd4 inotify_init1 inotify_add_watch sendmmsg recvmmsg
copy_file_range fallocate getxattr lgetxattr fadvise64 sched_setaffinity utimensat setpgid`
  .split(/\s+/)
  .filter((n) => n !== '');

describe('glossary', () => {
  it('has about 150 entries or more', () => {
    expect(glossaryNames().length).toBeGreaterThanOrEqual(150);
  });

  it.each(COMMON)('explains the common syscall %s', (name) => {
    expect(syscallMeaning(name)).not.toBeNull();
  });

  it('explains every syscall the categories name', () => {
    const categorised = [...X86_64_SYSCALLS.values()].filter((n) => categoryOfName(n) !== 'other');
    expect(categorised.length).toBeGreaterThan(100);
    expect(categorised.filter((n) => syscallMeaning(n) === null)).toEqual([]);
  });

  it('names only real x86_64 syscalls', () => {
    const real = new Set(X86_64_SYSCALLS.values());
    expect(glossaryNames().filter((n) => !real.has(n))).toEqual([]);
  });

  it('has no duplicates', () => {
    expect(new Set(glossaryNames()).size).toBe(glossaryNames().length);
  });

  it.each(glossaryNames())('%s: one lowercase line under 90 characters, no final period', (name) => {
    const m = syscallMeaning(name)!;
    expect(m).not.toMatch(/[\r\n]/);
    expect(m.length).toBeLessThanOrEqual(90);
    expect(m).not.toMatch(/\.$/);
    expect(m[0]).toBe(m[0]!.toLowerCase());
    expect(m.trim()).toBe(m);
  });

  it.each([
    ['brk', 'brk — moves the end of the heap; malloc uses it to grow memory'],
    ['futex', 'futex — waits for or wakes a lock/condition shared between threads'],
    ['fsync', "fsync — waits until a file's data and metadata are on disk"],
  ])('renders %s as one line', (name, line) => {
    expect(glossaryLine(name)).toBe(line);
  });

  it.each(['no_such_call', 'syscall_999', '', 'READ'])('returns null for the unknown name %j', (name) => {
    expect(syscallMeaning(name)).toBeNull();
    expect(glossaryLine(name)).toBeNull();
  });
});
