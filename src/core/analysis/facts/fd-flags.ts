// Open flags of every fd, per process, followed through the call stream: set by
// open/openat/creat (flags argument + returned fd), socket/accept4 (SOCK_NONBLOCK),
// copied by dup/dup2/dup3/fcntl(F_DUPFD), changed by fcntl(F_SETFL), dropped by
// close/close_range. Bounded: at most MAX_TRACKED_FDS fds; past that new ones are
// not tracked (their flags read as unknown). Not known: fds from before tracing,
// fds inherited over fork (a child's fds are unknown until it opens its own).
import type { EventBatch } from '../../model/events.js';
import { CLOSE_RANGE_CLOEXEC, F_DUPFD, F_DUPFD_CLOEXEC } from '../../model/fd-syscalls.js';

// x86_64 open flags (octal, as in asm-generic/fcntl.h).
export const O_NONBLOCK = 0o4000;
export const O_DSYNC = 0o10000;
// O_SYNC includes O_DSYNC's bit (__O_SYNC | O_DSYNC)
export const O_SYNC = 0o4010000;
// socket()/accept4() type flag, the same bit as O_NONBLOCK
export const SOCK_NONBLOCK = 0o4000;

// fcntl commands that read or change the status flags.
export const F_SETFL = 4;

// How many (pid, fd) pairs are followed at most.
export const MAX_TRACKED_FDS = 65536;

// pid < 2^22, fd < 2^24 (RLIMIT_NOFILE caps well below): one exact number keys both.
const FD_SCALE = 2 ** 24;

// Whether open flags make each write durable before it returns.
export function isSyncFlags(flags: number): boolean {
  return (flags & O_DSYNC) !== 0;
}

// The flags of each fd, by process.
export class FdFlags {
  private readonly flags = new Map<number, number>();

  // The flags of fd in process pid, or null when unknown.
  get(pid: number, fd: number): number | null {
    return fd < 0 ? null : (this.flags.get(pid * FD_SCALE + fd) ?? null);
  }

  // Whether writes on the fd are synchronous (O_SYNC or O_DSYNC).
  synced(pid: number, fd: number): boolean {
    const f = this.get(pid, fd);
    return f !== null && isSyncFlags(f);
  }

  // Whether the fd is known to be non-blocking.
  nonBlocking(pid: number, fd: number): boolean {
    const f = this.get(pid, fd);
    return f !== null && (f & O_NONBLOCK) !== 0;
  }

  // Applies row i's effect on the fds (call after the row is otherwise looked at).
  observe(batch: EventBatch, i: number): void {
    const name = batch.syscall[i]!;
    const ret = batch.ret[i]!;
    const pid = batch.pid[i]!;
    switch (name) {
      case 'open':
        if (ret >= 0) this.set(pid, ret, batch.argNumber(i, 1));
        return;
      case 'openat':
        if (ret >= 0) this.set(pid, ret, batch.argNumber(i, 2));
        return;
      // openat2's flags are in a struct (not read); creat is O_CREAT|O_WRONLY|O_TRUNC
      case 'openat2':
      case 'creat':
        if (ret >= 0) this.set(pid, ret, 0);
        return;
      case 'socket':
        if (ret >= 0) this.set(pid, ret, batch.argNumber(i, 1) & SOCK_NONBLOCK);
        return;
      case 'accept':
        if (ret >= 0) this.set(pid, ret, 0);
        return;
      case 'accept4':
        if (ret >= 0) this.set(pid, ret, batch.argNumber(i, 3) & SOCK_NONBLOCK);
        return;
      case 'dup':
        if (ret >= 0) this.copy(pid, batch.argInt(i, 0), ret);
        return;
      case 'dup2':
      case 'dup3':
        if (ret >= 0) this.copy(pid, batch.argInt(i, 0), batch.argInt(i, 1));
        return;
      case 'fcntl': {
        if (ret < 0) return;
        const cmd = batch.argInt(i, 1);
        const fd = batch.argInt(i, 0);
        if (cmd === F_DUPFD || cmd === F_DUPFD_CLOEXEC) this.copy(pid, fd, ret);
        else if (cmd === F_SETFL) {
          // F_SETFL changes O_NONBLOCK (and O_APPEND...), never O_SYNC/O_DSYNC
          const old = this.get(pid, fd) ?? 0;
          this.set(pid, fd, (old & ~O_NONBLOCK) | (batch.argNumber(i, 2) & O_NONBLOCK));
        }
        return;
      }
      case 'close':
        if (ret === 0) this.flags.delete(pid * FD_SCALE + batch.argInt(i, 0));
        return;
      case 'close_range': {
        if (ret !== 0 || (batch.argNumber(i, 2) & CLOSE_RANGE_CLOEXEC) !== 0) return;
        const first = batch.argLo[0]![i]!;
        const last = Math.min(batch.argLo[1]![i]!, FD_SCALE - 1);
        for (const key of [...this.flags.keys()]) {
          const fd = key % FD_SCALE;
          if (Math.floor(key / FD_SCALE) === pid && fd >= first && fd <= last) this.flags.delete(key);
        }
        return;
      }
      default:
        return;
    }
  }

  // How many fds are followed now.
  get size(): number {
    return this.flags.size;
  }

  private copy(pid: number, from: number, to: number): void {
    const f = this.get(pid, from);
    if (f === null) this.flags.delete(pid * FD_SCALE + to);
    else this.set(pid, to, f);
  }

  private set(pid: number, fd: number, flags: number): void {
    if (fd < 0 || fd >= FD_SCALE) return;
    const key = pid * FD_SCALE + fd;
    if (!this.flags.has(key) && this.flags.size >= MAX_TRACKED_FDS) return;
    this.flags.set(key, flags);
  }
}
