// What kind of work a syscall is: the I/O categories the report splits time into.
//
// The category comes from the syscall name, refined by what the fd is when the
// capture says (`path`): a read on `socket:[...]` is network, not disk. Calls
// whose fd is unknown are taken at their name's word (a read is a disk read).
// Writes on an fd opened O_SYNC/O_DSYNC are sync (categoryOfCall): the
// streaming pass knows the fd's open flags (analysis/facts/fd-flags.ts).

// A category id; order is the display order.
export type Category = 'sync' | 'disk-read' | 'disk-write' | 'network' | 'metadata' | 'memory' | 'process' | 'other' | 'wait';

// Every category, in display order (waiting last: it is shown apart).
export const CATEGORIES: readonly Category[] = [
  'sync',
  'disk-read',
  'disk-write',
  'network',
  'metadata',
  'memory',
  'process',
  'other',
  'wait',
];

// Human label of each category.
export const CATEGORY_LABELS: Readonly<Record<Category, string>> = {
  sync: 'Disk sync',
  'disk-read': 'Disk read',
  'disk-write': 'Disk write',
  network: 'Network',
  metadata: 'File metadata',
  memory: 'Memory',
  process: 'Process',
  other: 'Other',
  wait: 'Waiting',
};

// Whether time in a category is waiting for something to happen rather than work
// (epoll_wait, futex, nanosleep...): shown apart and left out of the shares.
export function isWaiting(category: Category): boolean {
  return category === 'wait';
}

const BY_NAME: ReadonlyMap<string, Category> = new Map<string, Category>([
  ...names('sync', 'fsync fdatasync sync_file_range msync syncfs sync'),
  ...names('disk-read', 'read pread64 readv preadv preadv2'),
  ...names('disk-write', 'write pwrite64 writev pwritev pwritev2 copy_file_range'),
  ...names(
    'network',
    'socket socketpair connect accept accept4 bind listen shutdown sendto sendmsg sendmmsg recvfrom recvmsg recvmmsg getsockopt setsockopt getsockname getpeername',
  ),
  ...names(
    'metadata',
    'open openat openat2 creat close close_range stat fstat lstat newfstatat statx statfs fstatfs access faccessat faccessat2 readlink readlinkat getdents getdents64 rename renameat renameat2 unlink unlinkat mkdir mkdirat rmdir link linkat symlink symlinkat chmod fchmod fchmodat chown fchown lchown fchownat truncate ftruncate utime utimes utimensat futimesat fallocate getxattr lgetxattr fgetxattr setxattr lsetxattr fsetxattr listxattr llistxattr flistxattr removexattr lremovexattr fremovexattr chdir fchdir getcwd mknod mknodat',
  ),
  ...names('memory', 'mmap munmap brk mprotect madvise mremap mlock mlock2 munlock mlockall munlockall mincore'),
  ...names('process', 'clone clone3 fork vfork execve execveat exit exit_group kill tgkill tkill'),
  ...names(
    'wait',
    'epoll_wait epoll_pwait epoll_pwait2 poll ppoll select pselect6 futex futex_waitv nanosleep clock_nanosleep wait4 waitid pause rt_sigsuspend rt_sigtimedwait io_getevents io_pgetevents io_uring_enter',
  ),
]);

// Read/write calls on an fd: the fd's kind decides between disk, network and other.
const FD_DEPENDENT: ReadonlySet<string> = new Set([
  'read',
  'pread64',
  'readv',
  'preadv',
  'preadv2',
  'write',
  'pwrite64',
  'writev',
  'pwritev',
  'pwritev2',
]);

// Write calls on an fd: on an fd opened O_SYNC/O_DSYNC each one is a sync.
const WRITES: ReadonlySet<string> = new Set(['write', 'pwrite64', 'writev', 'pwritev', 'pwritev2']);

// Whether a syscall writes through an fd (the write family).
export function isWriteCall(syscall: string): boolean {
  return WRITES.has(syscall);
}

// The category of a syscall by name alone.
export function categoryOfName(syscall: string): Category {
  return BY_NAME.get(syscall) ?? 'other';
}

// Whether the fd's path can change the category of this syscall (read/write family).
export function dependsOnFd(syscall: string): boolean {
  return FD_DEPENDENT.has(syscall);
}

// The category of one call: by name, refined by its fd's path for reads and
// writes (`socket:[...]` is network; `pipe:[...]` and `anon_inode:[...]` are
// other; a file path or an unknown fd keeps the name's disk category).
export function categoryOf(syscall: string, path: string | null): Category {
  const byName = categoryOfName(syscall);
  if (path === null || !FD_DEPENDENT.has(syscall)) return byName;
  return refineByPath(byName, path);
}

// The category of one call whose fd is known to be opened O_SYNC or O_DSYNC
// (`synced`): a write on it waits for the disk like fsync does, so it is sync.
export function categoryOfCall(syscall: string, path: string | null, synced: boolean): Category {
  const c = categoryOf(syscall, path);
  return synced && c === 'disk-write' && WRITES.has(syscall) ? 'sync' : c;
}

// A read/write category refined by the fd's path (see categoryOf).
export function refineByPath(byName: Category, path: string): Category {
  if (path.startsWith('socket:')) return 'network';
  if (path.startsWith('pipe:') || path.startsWith('anon_inode:')) return 'other';
  return byName;
}

function names(category: Category, list: string): Array<[string, Category]> {
  return list.split(' ').map((n) => [n, category]);
}
