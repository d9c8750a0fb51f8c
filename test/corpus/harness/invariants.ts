// What must hold on every report of a real program, whatever the program:
// waiting is never a cost, savings are bounded by the time they come from,
// the verdict knows the CPU time when it was measured, no finding is said twice.
import { expect } from 'vitest';
import type { ReportFinding, ReportJson } from './trace.js';

// Calls whose latency is the thread waiting for something else to happen.
// Written here from the syscalls' meaning, not taken from the product's tables.
export const WAITING_SYSCALLS: ReadonlySet<string> = new Set([
  'epoll_wait',
  'epoll_pwait',
  'epoll_pwait2',
  'poll',
  'ppoll',
  'select',
  'pselect6',
  'wait4',
  'waitid',
  'nanosleep',
  'clock_nanosleep',
  'pause',
  'rt_sigsuspend',
  'rt_sigtimedwait',
  'io_getevents',
  'io_uring_enter',
]);

// The rules allowed to speak about waits, each with evidence of its own.
export const WAITING_RULES: ReadonlySet<string> = new Set(['busy-poll', 'sleep-loop', 'futex-contention', 'blocking-network']);

// The syscalls a finding is about.
export function subjects(f: ReportFinding): string[] {
  return [...(f.syscall === null ? [] : [f.syscall]), ...(f.alsoAbout ?? [])];
}

// Checks every invariant on one report.
export function expectInvariants(r: ReportJson): void {
  for (const f of r.findings) {
    const about = subjects(f);
    if (!WAITING_RULES.has(f.rule)) {
      expect(about.filter((s) => WAITING_SYSCALLS.has(s)), `${f.rule} speaks about a waiting call`).toEqual([]);
    }
    expect(f.savingNs).toBeGreaterThanOrEqual(0);
    if (f.savingShare !== null) expect(f.savingShare, `${f.rule} saves more than the wall time`).toBeLessThanOrEqual(1);
  }
  const capacity = r.verdict.capacityNs;
  if (capacity !== null) {
    const total = r.findings.reduce((a, f) => a + f.savingNs, 0);
    expect(total, 'savings add up to more than the threads had').toBeLessThanOrEqual(capacity);
  }
  if (r.summary.cpuNs !== null) expect(r.verdict.kind, 'verdict unknown though CPU time was measured').not.toBe('unknown');
  const keys = r.findings.map((f) => `${f.rule}:${subjects(f).join('+')}`);
  expect(new Set(keys).size, `two findings say the same thing: ${keys.join(', ')}`).toBe(keys.length);
}

// The first finding, or null when there is none.
export function first(r: ReportJson): ReportFinding | null {
  return r.findings[0] ?? null;
}

// The categories marked as the bottleneck.
export function bottlenecks(r: ReportJson): string[] {
  return r.categories.filter((c) => c.bottleneck === true).map((c) => c.category);
}
