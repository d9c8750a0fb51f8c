// Output of `syscall-prof doctor`.
import type { CheckResult } from '../../core/backends/ebpf/doctor-checks.js';
import type { Palette } from './color.js';

// One line per check, with the fix under each failing one, and a verdict.
export function renderChecks(checks: readonly CheckResult[], p: Palette): string {
  const width = Math.max(...checks.map((c) => c.name.length));
  const lines: string[] = [];
  for (const c of checks) {
    const mark = c.ok ? p.ok('ok  ') : p.bad('FAIL');
    lines.push(`${mark}  ${c.name.padEnd(width)}  ${c.detail}`);
    if (c.fix !== null) lines.push(`      ${' '.repeat(width)}  ${p.warn(`-> ${c.fix}`)}`);
  }
  const failed = checks.filter((c) => !c.ok).length;
  lines.push('', failed === 0 ? p.ok('eBPF tracing should work.') : p.bad(`${failed} check${failed === 1 ? '' : 's'} failed.`));
  return `${lines.join('\n')}\n`;
}

// The --json form: { "ok": bool, "checks": [ { "name", "ok", "detail", "fix" } ] }.
export function renderChecksJson(checks: readonly CheckResult[]): string {
  return `${JSON.stringify({ ok: checks.every((c) => c.ok), checks }, null, 2)}\n`;
}
