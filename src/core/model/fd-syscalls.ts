// Which syscalls take, create and close file descriptors. Which argument is an
// fd or a directory fd comes from scripts/syscall-args.txt (through the generated
// table); the argument positions are the same on every Linux architecture.
import { SYSCALL_ARGS, type ArgKind } from './generated/syscalls.js';

// Where the fd of a call is: one argument, or a transfer between two fds.
export type FdUse =
  | { readonly kind: 'fd'; readonly arg: number }
  // data moves from the fd in argument `from` to the fd in argument `to`
  | { readonly kind: 'transfer'; readonly from: number; readonly to: number };

// The fd use an annotation describes: an fd-in/fd-out pair, or the `fd` argument.
function useOf(kinds: readonly ArgKind[]): FdUse | null {
  const from = kinds.indexOf('fd-in');
  const to = kinds.indexOf('fd-out');
  if (from >= 0 && to >= 0) return { kind: 'transfer', from, to };
  const arg = kinds.indexOf('fd');
  return arg >= 0 ? { kind: 'fd', arg } : null;
}

const FD_USES: ReadonlyMap<string, FdUse> = new Map(
  [...SYSCALL_ARGS].flatMap(([name, kinds]) => {
    const use = useOf(kinds);
    return use === null ? [] : [[name, use] as const];
  }),
);

// Where a syscall's fd argument is, or null when it takes none.
export function fdUse(syscall: string): FdUse | null {
  return FD_USES.get(syscall) ?? null;
}

// The *at calls: which argument is the directory fd their path is relative to
// (AT_FDCWD, -100, for the working directory). An empty path with AT_EMPTY_PATH
// means the fd itself: glibc's fstat() is newfstatat(fd, "", AT_EMPTY_PATH).
const DIRFD_ARGS: ReadonlyMap<string, number> = new Map(
  [...SYSCALL_ARGS].flatMap(([name, kinds]) => (kinds.includes('dirfd') ? [[name, kinds.indexOf('dirfd')] as const] : [])),
);

// The directory-fd argument of an *at syscall, or null.
export function dirfdArg(syscall: string): number | null {
  return DIRFD_ARGS.get(syscall) ?? null;
}

// The dirfd value meaning "the working directory".
export const AT_FDCWD = -100;

// How a successful call creates descriptors.
export type FdCreation =
  // the return value is a new fd for the path the call took (open, openat, creat...)
  | { readonly kind: 'open' }
  // socket(family, type, protocol): the return value is a new socket
  | { readonly kind: 'socket' }
  // accept/accept4: the return value is a connection from the peer address
  | { readonly kind: 'accept' }
  // pipe/pipe2 (and socketpair): two new fds the kernel wrote to user memory
  | { readonly kind: 'pair'; readonly label: 'pipe' | 'socket:unix' }
  // dup: the return value copies the fd in argument 0
  | { readonly kind: 'dup' }
  // dup2/dup3: argument 1 becomes a copy of argument 0
  | { readonly kind: 'dup-to' }
  // fcntl: only F_DUPFD and F_DUPFD_CLOEXEC create (a copy of argument 0)
  | { readonly kind: 'fcntl' }
  // an anonymous-inode fd, named as /proc/PID/fd shows it
  | { readonly kind: 'anon'; readonly name: string }
  // memfd_create(name, flags): "memfd:<name>"
  | { readonly kind: 'memfd' };

const FD_CREATIONS: ReadonlyMap<string, FdCreation> = new Map<string, FdCreation>([
  ['open', { kind: 'open' }],
  ['openat', { kind: 'open' }],
  ['openat2', { kind: 'open' }],
  ['creat', { kind: 'open' }],
  ['socket', { kind: 'socket' }],
  ['accept', { kind: 'accept' }],
  ['accept4', { kind: 'accept' }],
  ['pipe', { kind: 'pair', label: 'pipe' }],
  ['pipe2', { kind: 'pair', label: 'pipe' }],
  ['socketpair', { kind: 'pair', label: 'socket:unix' }],
  ['dup', { kind: 'dup' }],
  ['dup2', { kind: 'dup-to' }],
  ['dup3', { kind: 'dup-to' }],
  ['fcntl', { kind: 'fcntl' }],
  ['eventfd', { kind: 'anon', name: 'anon_inode:[eventfd]' }],
  ['eventfd2', { kind: 'anon', name: 'anon_inode:[eventfd]' }],
  ['epoll_create', { kind: 'anon', name: 'anon_inode:[eventpoll]' }],
  ['epoll_create1', { kind: 'anon', name: 'anon_inode:[eventpoll]' }],
  ['timerfd_create', { kind: 'anon', name: 'anon_inode:[timerfd]' }],
  ['signalfd', { kind: 'anon', name: 'anon_inode:[signalfd]' }],
  ['signalfd4', { kind: 'anon', name: 'anon_inode:[signalfd]' }],
  ['inotify_init', { kind: 'anon', name: 'anon_inode:inotify' }],
  ['inotify_init1', { kind: 'anon', name: 'anon_inode:inotify' }],
  ['fanotify_init', { kind: 'anon', name: 'anon_inode:[fanotify]' }],
  ['userfaultfd', { kind: 'anon', name: 'anon_inode:[userfaultfd]' }],
  ['perf_event_open', { kind: 'anon', name: 'anon_inode:[perf_event]' }],
  ['pidfd_open', { kind: 'anon', name: 'anon_inode:[pidfd]' }],
  ['io_uring_setup', { kind: 'anon', name: 'anon_inode:[io_uring]' }],
  ['memfd_create', { kind: 'memfd' }],
]);

// How a syscall creates fds when it succeeds, or null when it does not.
export function fdCreation(syscall: string): FdCreation | null {
  return FD_CREATIONS.get(syscall) ?? null;
}

// fcntl commands that duplicate a descriptor (F_DUPFD, F_DUPFD_CLOEXEC).
export const F_DUPFD = 0;
export const F_DUPFD_CLOEXEC = 1030;

// close_range flag that only marks the range close-on-exec instead of closing it.
export const CLOSE_RANGE_CLOEXEC = 4;

// How a syscall closes descriptors: one fd (argument 0), or a range (arguments 0 and 1), or null.
export function fdClosing(syscall: string): 'one' | 'range' | null {
  if (syscall === 'close') return 'one';
  if (syscall === 'close_range') return 'range';
  return null;
}
