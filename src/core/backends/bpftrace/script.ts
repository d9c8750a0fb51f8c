// The generated bpftrace program: per-call lines from raw_syscalls tracepoints, keyed by tid.
import type { TraceTarget } from '../types.js';

// Each completed call prints `SP pid tid nr start_ns duration_ns ret arg0_hex comm`.
export const LINE_TAG = 'SP';

// The bpftrace predicate selecting the target: `cpid` is bpftrace's own -c child.
export function targetPredicate(target: TraceTarget): string {
  switch (target.kind) {
    case 'all':
      return '';
    case 'pids':
      return `/${target.pids.map((p) => `pid == ${Math.trunc(p)}`).join(' || ')}/`;
    case 'command':
      return '/pid == cpid/';
    case 'cgroup':
      return `/cgroup == cgroupid(${JSON.stringify(target.path)})/`;
  }
}

// The whole script for a target; calls shorter than minDurationNs are not printed.
export function bpftraceScript(target: TraceTarget, minDurationNs = 0): string {
  const min = Math.max(0, Math.trunc(minDurationNs));
  const keep = min > 0 ? ` && nsecs - @s[tid] >= ${min}` : '';
  return [
    `tracepoint:raw_syscalls:sys_enter ${targetPredicate(target)} { @s[tid] = nsecs; @n[tid] = args->id; @a[tid] = args->args[0]; }`,
    `tracepoint:raw_syscalls:sys_exit /@s[tid]${keep}/ {`,
    `  printf("${LINE_TAG} %d %d %d %llu %llu %lld %llx %s\\n", pid, tid, @n[tid], @s[tid], nsecs - @s[tid], args->ret, @a[tid], comm);`,
    `}`,
    `tracepoint:raw_syscalls:sys_exit /@s[tid]/ { delete(@s[tid]); delete(@n[tid]); delete(@a[tid]); }`,
    // the command's exit status, printed by bpftrace at its end (a printf here can be lost as it exits)
    ...(target.kind === 'command' ? ['tracepoint:sched:sched_process_exit /pid == cpid && tid == cpid/ { @exit = curtask->exit_code; }'] : []),
    `END { clear(@s); clear(@n); clear(@a); }`,
    '',
  ].join('\n');
}
