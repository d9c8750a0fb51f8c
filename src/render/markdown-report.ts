// The Markdown report of `report`: facts, syscall summary, time by category,
// critical findings, and the latency distributions of the top syscalls.
// Plain Markdown, never coloured: it is meant to be kept and shared.
import type { CaptureAnalysis } from '../analysis/capture.js';
import type { ReportModel } from '../analysis/report-model.js';
import { CATEGORY_LABELS } from '../model/categories.js';
import { captureFacts, captureWarnings } from './capture-facts.js';
import { palette } from './color.js';
import { histogramLines } from './histogram-text.js';
import { estimateNote, LATENCY_TITLES, latencyCells } from './latency-cells.js';
import { markdownTable, type MarkdownColumn } from './markdown-table.js';
import { formatCount, formatDuration, formatPercent } from './units.js';

// Title of the report.
export const MARKDOWN_TITLE = 'Syscall Profiling Report';

// Width of the histogram text blocks.
export const REPORT_CHART_WIDTH = 80;

const LATENCY_COLUMNS: readonly MarkdownColumn[] = LATENCY_TITLES.map((title, i) => ({ title, align: i === 0 ? 'left' : 'right' }));

const CATEGORY_COLUMNS: readonly MarkdownColumn[] = [
  { title: 'Category', align: 'left' },
  { title: 'Calls', align: 'right' },
  { title: 'Time', align: 'right' },
  { title: '% of Total', align: 'right' },
  { title: '', align: 'left' },
];

// The whole report, ending with a newline.
export function renderMarkdownReport(input: string, analysis: CaptureAnalysis, model: ReportModel): string {
  const out: string[] = [`# ${MARKDOWN_TITLE}`, ''];
  for (const [label, value] of captureFacts(input, analysis)) out.push(`- **${label}:** ${escapeInline(value)}`);
  for (const w of captureWarnings(analysis.meta)) out.push(`- **Warning:** ${escapeInline(w)}`);

  out.push('', '## Syscall Summary', '');
  if (model.rows.length === 0) {
    out.push('No syscalls in this capture.');
    return `${out.join('\n')}\n`;
  }
  out.push(...markdownTable(LATENCY_COLUMNS, model.rows.map(latencyCells)));
  if (model.omitted > 0) out.push('', `... and ${formatCount(model.omitted)} more syscalls (see --top).`);
  const note = estimateNote(model.rows);
  if (note !== null) out.push('', `_${note}._`);

  out.push('', '## I/O Pattern Analysis', '', ...categorySection(model));
  out.push('', '## Critical Findings', '', ...findingsSection(model));
  out.push('', '## Latency Distributions');
  const plain = palette(false);
  for (const d of model.distributions) {
    out.push('', `### ${d.syscall}`, '', '```text', ...histogramLines({ ...d, width: REPORT_CHART_WIDTH }, plain).slice(2), '```');
  }
  return `${out.join('\n')}\n`;
}

function categorySection(model: ReportModel): string[] {
  const rows = model.categories.map((c) => {
    const label = c.syscalls.length > 0 && c.syscalls.length <= 3 ? `${CATEGORY_LABELS[c.category]} (${c.syscalls.join(', ')})` : CATEGORY_LABELS[c.category];
    return [
      label,
      formatCount(c.calls),
      formatDuration(c.totalNs),
      c.share === null ? (c.waiting ? 'N/A (waiting, not working)' : 'N/A') : c.share > 0 && c.share < 0.0005 ? '<0.1%' : formatPercent(c.share),
      c.bottleneck ? '← **BOTTLENECK**' : '',
    ];
  });
  return [
    ...markdownTable(CATEGORY_COLUMNS, rows),
    '',
    '_% of Total is over the time not spent waiting; waiting calls (epoll_wait, futex, sleeps...) are shown apart._',
  ];
}

function findingsSection(model: ReportModel): string[] {
  if (model.findings.length === 0) return ['Nothing stands out: no syscall dominates, no latency clusters, no frequent failures.'];
  return model.findings.flatMap((f, i) => {
    const lines = [`### ${i + 1}. ${escapeInline(f.title)}`, '', ...f.evidence.map((e) => `- ${escapeInline(e)}`)];
    if (f.recommendation.length > 0) lines.push('', '**Recommendation:**', '', ...f.recommendation.map((r) => `- ${escapeInline(r)}`));
    lines.push('');
    return lines;
  }).slice(0, -1);
}

// Text safe in a Markdown paragraph: no accidental code, emphasis, links or tags
// (intraword underscores, as in epoll_wait, are literal in CommonMark).
function escapeInline(text: string): string {
  return text.replace(/([\\`*[\]<>])/g, '\\$1');
}
