// Rule failing-syscall (generic): a syscall fails often. Left out when a
// specific rule (failed-open-storm) has a finding about the same syscall.
// Not failures: a waiting call ending early (EINTR, a timeout) is how waits
// work, and EAGAIN from a non-blocking accept or read in a program that waits
// for readiness (epoll, poll, select) is how its loop ends, by design; nor is
// EINPROGRESS from a non-blocking connect, which completes later.
// rt_sigreturn never fails: it returns the interrupted context's return
// register, which is a negative errno when a signal cut a syscall short.
// Saving: the failed calls, at the syscall's average cost: errors * average time.
import { categoryOfName, isWaiting } from '../../model/categories.js';
import type { LatencyRow } from '../latency-rows.js';
import { finding, type Finding, type FindingContext, type FindingRule } from '../findings.js';

// Calls a non-blocking event loop makes until they say EAGAIN.
export const UNTIL_EAGAIN: ReadonlySet<string> = new Set(['accept', 'accept4', 'read', 'readv', 'recvfrom', 'recvmsg', 'recvmmsg']);
// Calls whose return value is not theirs to fail with.
export const NEVER_FAILING: ReadonlySet<string> = new Set(['rt_sigreturn', 'sigreturn', 'exit', 'exit_group']);
// Readiness waits: a program making them runs non-blocking I/O.
export const READINESS_WAITS: readonly string[] = ['epoll_wait', 'epoll_pwait', 'epoll_pwait2', 'poll', 'ppoll', 'select', 'pselect6'];

// A syscall is reported from this share of failed calls...
export const FAILING_SHARE = 0.1;
// ...and this many failed calls.
export const FAILING_MIN = 10;
// at most this many of them, most errors first
export const FAILING_TOP = 3;

// errnos listed in the evidence (the most frequent first; the first decides the advice)
export const FAILING_ERRNOS_SHOWN = 3;

// A failing-syscall finding: its most frequent errnos ("ENOENT") and their counts.
export type FailingSyscallFinding = Finding<
  'failing-syscall',
  { readonly errnos: readonly { readonly errno: string; readonly count: number }[] },
  { readonly errors: number; readonly calls: number; readonly errorShare: number }
>;

// "newfstatat() fails 99% of the time (300 of 302 calls)".
export function failingSyscalls(ctx: FindingContext): FailingSyscallFinding[] {
  const eventLoop = READINESS_WAITS.some((name) => (ctx.syscall(name)?.count ?? 0) > 0);
  return ctx.rows
    .filter((r) => !isWaiting(categoryOfName(r.name)) && !NEVER_FAILING.has(r.name))
    .map((r) => (eventLoop && UNTIL_EAGAIN.has(r.name) ? without(r, ['EAGAIN', 'EWOULDBLOCK']) : r))
    .map((r) => (r.name === 'ioctl' ? without(r, ['ENOTTY']) : r))
    // a non-blocking connect says EINPROGRESS and completes later: not a failure
    .map((r) => (r.name === 'connect' ? without(r, ['EINPROGRESS']) : r))
    .map((r) => withoutStartup(r, ctx))
    .filter((r) => r.errors >= FAILING_MIN && r.errors / r.count >= FAILING_SHARE)
    .sort((a, b) => b.errors - a.errors || (a.name < b.name ? -1 : 1))
    .slice(0, FAILING_TOP)
    .map((r) =>
      finding<FailingSyscallFinding>(ctx, {
        rule: 'failing-syscall',
        syscall: r.name,
        subject: { errnos: r.errnos.slice(0, FAILING_ERRNOS_SHOWN).map((e) => ({ errno: e.errno, count: e.count })) },
        metrics: { errors: r.errors, calls: r.count, errorShare: r.errors / r.count },
        savingNs: r.errors * (r.avgNs ?? 0),
      }),
    );
}

// A row with these errnos' failures left out (and the calls that made them):
// EAGAIN ending a non-blocking loop, ioctl's ENOTTY (isatty() saying no) are
// answers rather than failures.
function without(r: LatencyRow, errnos: readonly string[]): LatencyRow {
  const n = r.errnos.filter((e) => errnos.includes(e.errno)).reduce((k, e) => k + e.count, 0);
  if (n === 0) return r;
  return { ...r, count: r.count - n, errors: r.errors - n, errnos: r.errnos.filter((e) => !errnos.includes(e.errno)) };
}

// A row with the calls made while processes started left out (the loader's
// access to /etc/ld.so.preload fails by design; process-startup speaks of start-up).
function withoutStartup(r: LatencyRow, ctx: FindingContext): LatencyRow {
  const c = ctx.facts?.startup.bySyscall.get(r.name);
  if (c === undefined || c.calls === 0) return r;
  return { ...r, count: Math.max(0, r.count - c.calls), errors: Math.max(0, r.errors - c.errors) };
}

// The rule's registry entry: generic.
export const FAILING_SYSCALL: FindingRule<FailingSyscallFinding> = { id: 'failing-syscall', generic: true, run: failingSyscalls };
