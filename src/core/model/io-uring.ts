// io_uring requests, as the normalized model holds them: per (process, opcode)
// submit -> complete latency, beside (not inside) the syscalls.
import type { Category } from './categories.js';
import type { LatencyHistogram } from './histogram.js';

// The requests of one opcode (over every traced process, or within one).
export interface IoUringOpStats {
  // the opcode's name, lowercase without IORING_OP_ ("read", "fsync", "op-99" when unknown)
  readonly op: string;
  readonly opcode: number;
  readonly count: number;
  // completed with a negative result
  readonly errors: number;
  // submit -> complete, summed
  readonly totalNs: number;
  readonly maxNs: number;
  readonly histogram: LatencyHistogram;
  // requests the kernel handed to an io-wq worker thread (could not complete them without blocking)
  readonly punted: number;
  // bytes moved by reads, writes, sends and receives (their results, summed)
  readonly bytes: number;
  // failed requests by errno, most first
  readonly errnos: readonly { readonly errno: number; readonly count: number }[];
}

// One process that used io_uring.
export interface IoUringProcess {
  readonly tgid: number;
  // its thread group leader's name (never the iou-sqp or iou-wrk thread's)
  readonly comm: string;
  readonly ops: readonly IoUringOpStats[];
  // how often its threads waited for completions inside io_uring_enter
  readonly waits: number;
  // completions its CQ rings had no room for
  readonly overflows: number;
  // punted reads, writes, sends and receives by the fd they were on, most time first
  readonly puntFds: readonly IoUringPuntFd[];
  // its rings, most requests first (spb captures; absent from older ones and from per-request records)
  readonly rings?: readonly IoUringRing[];
}

// One ring of a process: how many requests, in how many submitting io_uring_enter calls, at what depth.
export interface IoUringRing {
  // the opaque id per-request records carry
  readonly ring: number;
  readonly requests: number;
  // io_uring_enter calls with to_submit > 0 (0 for an SQPOLL ring: its thread submits)
  readonly submits: number;
  // requests in flight on the ring at each submission (that one included): the largest, and the mean
  readonly maxDepth: number;
  readonly avgDepth: number;
}

// The punted requests on one fd of a process.
export interface IoUringPuntFd {
  // the sqe's fd (with IOSQE_FIXED_FILE, an index into the ring's registered files)
  readonly fd: number;
  readonly punted: number;
  // their submit -> complete time, summed
  readonly totalNs: number;
}

// A request submitted but not completed when tracing stopped.
export interface IoUringInFlight {
  readonly tgid: number;
  readonly op: string;
  readonly opcode: number;
  readonly ageNs: number;
  readonly punted: boolean;
  readonly fd: number;
}

// What a capture knows about io_uring.
export interface IoUringProfile {
  // false: not traced (offReason says why); the other fields are empty then
  readonly traced: boolean;
  readonly offReason: string | null;
  // per opcode, all processes
  readonly ops: readonly IoUringOpStats[];
  readonly processes: readonly IoUringProcess[];
  readonly inFlight: readonly IoUringInFlight[];
  // requests not timed: the kernel's request table was full
  readonly drops: number;
  // per file and opcode, from per-request records (event-mode captures); absent without them
  readonly files?: readonly IoUringFileStats[];
  // true when built from per-request records alone (CSV, JSON lines): waits, overflows,
  // in-flight requests, rings and drops are not known then (they read 0)
  readonly fromRecords?: boolean;
}

// One opcode's requests on one file of one process, from per-request records.
export interface IoUringFileStats {
  readonly pid: number;
  readonly comm: string;
  // the file or socket; null when not known (a fixed file, an fd opened before tracing)
  readonly path: string | null;
  // the sqe's fd (the last one seen), or the registered-file index with fixedFile
  readonly fd: number;
  readonly fixedFile: boolean;
  readonly op: string;
  readonly opcode: number;
  readonly count: number;
  readonly errors: number;
  // bytes moved (results of reads, writes, sends and receives)
  readonly bytes: number;
  readonly totalNs: number;
  readonly maxNs: number;
  readonly punted: number;
  // requests whose offset could be compared with where the previous one ended, and how many started there
  readonly compared: number;
  readonly sequential: number;
  // from sequential / compared, as for synchronous I/O (analysis/facts/io-pattern.ts)
  readonly pattern: 'sequential' | 'random' | 'mixed' | 'unknown';
  // the lowest and highest byte offsets touched (offset, offset + length); null without offsets
  readonly minOffset: number | null;
  readonly maxEnd: number | null;
}

// The io_uring opcodes (include/uapi/linux/io_uring.h, enum io_uring_op), by number.
const OPS = [
  'nop', 'readv', 'writev', 'fsync', 'read_fixed', 'write_fixed', 'poll_add', 'poll_remove', 'sync_file_range', 'sendmsg',
  'recvmsg', 'timeout', 'timeout_remove', 'accept', 'async_cancel', 'link_timeout', 'connect', 'fallocate', 'openat', 'close',
  'files_update', 'statx', 'read', 'write', 'fadvise', 'madvise', 'send', 'recv', 'openat2', 'epoll_ctl',
  'splice', 'provide_buffers', 'remove_buffers', 'tee', 'shutdown', 'renameat', 'unlinkat', 'mkdirat', 'symlinkat', 'linkat',
  'msg_ring', 'fsetxattr', 'setxattr', 'fgetxattr', 'getxattr', 'socket', 'uring_cmd', 'send_zc', 'sendmsg_zc', 'read_multishot',
  'waitid', 'futex_wait', 'futex_wake', 'futex_waitv', 'fixed_fd_install', 'ftruncate', 'bind', 'listen', 'recv_zc', 'epoll_wait',
  'readv_fixed', 'writev_fixed', 'pipe',
] as const;

// The name of an io_uring opcode ("op-N" for one this table does not know).
export function ioUringOpName(opcode: number): string {
  return OPS[opcode] ?? `op-${opcode}`;
}

// The opcode of a name ("read", "READ", "IORING_OP_READ", "op-22"); null when unknown.
export function ioUringOpcode(name: string): number | null {
  const n = name.toLowerCase().replace(/^ioring_op_/, '');
  const i = (OPS as readonly string[]).indexOf(n);
  if (i >= 0) return i;
  const m = /^op-(\d{1,3})$/.exec(n);
  return m === null ? null : Number(m[1]);
}

// Every opcode name, in number order (for help and error messages).
export const IO_URING_OP_NAMES: readonly string[] = OPS;

// A profile part for a run that did not trace io_uring.
export function ioUringOff(reason: string | null): IoUringProfile {
  return { traced: false, offReason: reason, ops: [], processes: [], inFlight: [], drops: 0 };
}

const OP_CATEGORIES: ReadonlyMap<string, Category> = new Map<string, Category>([
  ...ops('disk-read', 'read readv read_fixed readv_fixed read_multishot splice tee'),
  ...ops('disk-write', 'write writev write_fixed writev_fixed'),
  ...ops('sync', 'fsync sync_file_range'),
  ...ops('network', 'send recv sendmsg recvmsg send_zc sendmsg_zc recv_zc accept connect socket shutdown bind listen'),
  ...ops('metadata', 'openat openat2 close statx renameat unlinkat mkdirat symlinkat linkat fallocate ftruncate fsetxattr setxattr fgetxattr getxattr fadvise fixed_fd_install pipe'),
  ...ops('memory', 'madvise'),
  ...ops('wait', 'poll_add timeout link_timeout futex_wait futex_waitv epoll_wait waitid'),
]);

function ops(category: Category, list: string): Array<[string, Category]> {
  return list.split(' ').map((op) => [op, category]);
}

// The I/O category of a request, at its opcode's word (a read is a disk read:
// the fd behind it is not known here), as categories.ts does for syscalls.
export function ioUringCategory(op: string): Category {
  return OP_CATEGORIES.get(op) ?? 'other';
}
