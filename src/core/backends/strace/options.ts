// The strace command line the runner uses, and why each option is there.
import { UsageError } from '../../errors.js';
import type { TraceTarget } from '../types.js';

// strace options, each one a choice:
//   -f        follow forks and threads; each line starts with the thread id
//   -ttt      epoch timestamps in µs: exact start times and the capture's wall clock
//   -T        time spent in each call (the latency we profile)
//   -yy       fd annotations with paths and socket endpoints (`3</etc/passwd>`,
//             `5<TCP:[127.0.0.1:5432->127.0.0.1:40000]>`): each event's path
//   -X raw    flags and constants as numbers, so integer arguments fill the
//             model's arg columns (openat(-100, ..., 0x80000))
//   -q        no attach/detach chatter; NOT -qq, which also hides the
//             `+++ exited with N +++` lines the target's exit status comes from
//   -I 2      fatal signals blocked only while decoding (strace -o FILE PROG
//             defaults to "never"), so SIGINT ends a --duration run
//   -s 64     a little more string text than the default 32 (cost stays low)
export const STRACE_OPTIONS: readonly string[] = ['-ttt', '-T', '-yy', '-X', 'raw', '-q', '-I', '2', '-s', '64'];

// strace's arguments for a target, writing its log to `logPath` (UsageError for a target strace cannot trace).
export function straceArgv(target: TraceTarget, follow: boolean, logPath: string): string[] {
  const base = [...(follow ? ['-f'] : []), ...STRACE_OPTIONS, '-o', logPath];
  switch (target.kind) {
    case 'command':
      return [...base, '--', ...target.argv];
    case 'pids':
      return [...base, ...target.pids.flatMap((pid) => ['-p', String(pid)])];
    default:
      throw new UsageError(`strace traces a command or pids, not ${target.kind === 'all' ? 'the whole system' : 'a cgroup'}: use the ebpf backend`);
  }
}
