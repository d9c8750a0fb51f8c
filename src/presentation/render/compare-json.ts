// `compare --json`: the comparison model for scripts.
import type { Comparison } from '../../core/analysis/compare.js';

// One JSON object (ends with a newline): the inputs, then the model as it is (ns, shares 0-1).
export function renderCompareJson(c: Comparison, inputs: readonly string[]): string {
  return `${JSON.stringify({ inputs, ...c, findings: c.findings.map((f) => ({ rule: f.rule, syscall: f.syscall, changes: f.changes, savingNs: f.levels.map((x) => (x === null ? null : x.savingNs)) })) }, null, 2)}\n`;
}
