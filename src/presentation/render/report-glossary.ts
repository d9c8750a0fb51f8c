// The "What these syscalls do" section: the glossary line of every syscall
// the report names, in the order they first appear.
import type { ReportModel } from '../../core/analysis/report-model.js';
import { syscallMeaning } from '../../core/model/glossary.js';
import { escapeInline } from './report-markdown.js';

// Syscalls named by the report: summary rows, categories, findings, distributions, deduplicated.
export function namedSyscalls(model: ReportModel): string[] {
  const names = [
    ...model.rows.map((r) => r.name),
    ...model.categories.flatMap((c) => (c.syscalls.length <= 3 ? c.syscalls : [])),
    ...model.findings.flatMap((f) => (f.syscall === null ? [] : [f.syscall])),
    ...model.distributions.map((d) => d.syscall),
  ];
  return [...new Set(names)];
}

// One bullet per named syscall: "- **brk**: moves the end of the heap; ...";
// syscalls without a glossary entry are listed as such.
export function glossarySection(model: ReportModel): string[] {
  const names = namedSyscalls(model);
  const known = names.filter((n) => syscallMeaning(n) !== null);
  const unknown = names.filter((n) => syscallMeaning(n) === null);
  const out = known.map((n) => `- **${n}** — ${escapeInline(syscallMeaning(n)!)}`);
  if (unknown.length > 0) out.push(`- ${unknown.map((n) => `**${n}**`).join(', ')} — see \`man 2 <name>\``);
  return out;
}
