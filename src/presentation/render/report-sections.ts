// Sections of the Markdown report about time: the verdict, time by category
// and the findings. Each returns lines; markdown-report.ts assembles them.
import type { Finding } from '../../core/analysis/findings.js';
import type { ReportModel } from '../../core/analysis/report-model.js';
import { cpuSummaryText } from './cpu-split-text.js';
import { findingText } from './findings/index.js';
import { markdownTable, type MarkdownColumn } from './markdown-table.js';
import { escapeInline } from './report-markdown.js';
import { formatCount, formatDuration, formatPercent } from './units.js';
import { verdictText } from './verdict-text.js';

const CATEGORY_COLUMNS: readonly MarkdownColumn[] = [
  { title: 'Category', align: 'left' },
  { title: 'Calls', align: 'right' },
  { title: 'Time', align: 'right' },
  { title: '% of Total', align: 'right' },
  { title: '', align: 'left' },
];

const CPU_COLUMNS: readonly MarkdownColumn[] = [
  { title: 'Blocked', align: 'right' },
  { title: 'Waiting for CPU', align: 'right' },
  { title: 'On CPU', align: 'right' },
];

const SEVERITY_BADGE: Readonly<Record<Finding['severity'], string>> = { critical: 'CRITICAL', warning: 'WARNING', info: 'INFO' };

// The verdict in bold and the numbers behind it.
export function verdictSection(model: ReportModel): string[] {
  const v = verdictText(model.verdict);
  return [`**${escapeInline(v.summary)}**`, ...(v.evidence.length > 0 ? ['', ...v.evidence.map((e) => `- ${escapeInline(e)}`)] : [])];
}

// Time by category, the bottleneck marked, waiting apart; the on/off-CPU split when known; the chart link.
export function categorySection(model: ReportModel, chart: string | null): string[] {
  const split = model.categories.some((c) => c.cpu !== null);
  const columns = split ? [...CATEGORY_COLUMNS.slice(0, 4), ...CPU_COLUMNS, CATEGORY_COLUMNS[4]!] : CATEGORY_COLUMNS;
  const rows = model.categories.map((c) => {
    const label = c.syscalls.length > 0 && c.syscalls.length <= 3 ? `${c.label} (${c.syscalls.join(', ')})` : c.label;
    const share = c.share === null ? (c.waiting ? 'N/A (waiting, not working)' : 'N/A') : c.share > 0 && c.share < 0.0005 ? '<0.1%' : formatPercent(c.share);
    const cpu = !split ? [] : c.cpu === null ? ['-', '-', '-'] : [formatDuration(c.cpu.blockedNs), formatDuration(c.cpu.runqNs), formatDuration(c.cpu.onCpuNs)];
    return [label, formatCount(c.calls), formatDuration(c.totalNs), share, ...cpu, c.bottleneck ? '← **BOTTLENECK**' : ''];
  });
  const out = [...markdownTable(columns, rows), '', '_% of Total is over the time not spent waiting; waiting calls (epoll_wait, futex, sleeps...) are shown apart._'];
  if (split) out.push('', '_Blocked: off the CPU waiting for the call to complete; waiting for CPU: runnable but preempted; on CPU: running in the kernel._');
  if (chart !== null) out.push('', `![Time by category](${linkPath(chart)})`);
  return out;
}

// Syscalls whose split is shown in the report, by total time.
export const CPU_SPLITS_SHOWN = 10;

// On and off the CPU inside each syscall (the top ones by time) and what that says; [] without off-CPU times.
export function cpuSplitSection(model: ReportModel): string[] {
  if (model.cpuSplits.length === 0 || model.cpuSummary === null) return [];
  const shown = model.cpuSplits.slice(0, CPU_SPLITS_SHOWN);
  const rows = shown.map((s) => [s.name, formatDuration(s.totalNs), formatDuration(s.blockedNs), s.runqNs === null ? '-' : formatDuration(s.runqNs), formatDuration(s.onCpuNs), s.totalNs > 0 ? formatPercent(s.offCpuNs / s.totalNs) : '-']);
  const columns: MarkdownColumn[] = [{ title: 'Syscall', align: 'left' }, { title: 'Time', align: 'right' }, ...CPU_COLUMNS, { title: 'Off CPU', align: 'right' }];
  const out = [escapeInline(cpuSummaryText(model.cpuSummary)), '', ...markdownTable(columns, rows)];
  if (model.cpuSplits.length > shown.length) out.push('', `... and ${formatCount(model.cpuSplits.length - shown.length)} more syscalls (see --json).`);
  out.push('', '_Measured in the kernel: each switch of a traced thread off and back onto a CPU inside a call (sched_switch), and its wake-up (sched_wakeup)._');
  return out;
}

// The findings, most saving first, each with its evidence, why and what to do.
export function findingsSection(model: ReportModel): string[] {
  if (model.findings.length === 0) return ['Nothing stands out: no syscall dominates, no latency clusters, no frequent failures.'];
  return model.findings
    .flatMap((f, i) => {
      const t = findingText(f);
      const lines = [`### ${i + 1}. ${escapeInline(t.title)}`, '', `**${SEVERITY_BADGE[f.severity]}** · estimated saving: ${savingText(f)}`];
      if (t.evidence.length > 0) lines.push('', ...t.evidence.map((e) => `- ${escapeInline(e)}`));
      if (t.why !== '') lines.push('', `**Why it matters:** ${escapeInline(t.why)}`);
      if (t.recommendation.length > 0) lines.push('', '**Recommendation:**', '', ...t.recommendation.map((r) => `- ${escapeInline(r)}`));
      lines.push('');
      return lines;
    })
    .slice(0, -1);
}

// "340 ms (9.1% of thread time)", "none estimated".
function savingText(f: Finding): string {
  if (f.savingNs <= 0) return 'none estimated';
  return f.savingShare === null ? `~${formatDuration(f.savingNs)}` : `~${formatDuration(f.savingNs)} (${formatPercent(f.savingShare)} of thread time)`;
}

// A relative path as a Markdown link target (spaces and parentheses encoded).
export function linkPath(path: string): string {
  return encodeURI(path).replace(/\(/g, '%28').replace(/\)/g, '%29');
}
