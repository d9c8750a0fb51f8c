// The Markdown report of `report`: facts, verdict, syscall summary, time by
// category, findings ranked by saving, latency distributions (text and SVG),
// per-file I/O patterns, hot files, connections, threads, and what each named syscall does.
// Plain Markdown, never coloured: it is meant to be kept and shared.
import type { CaptureAnalysis } from '../../core/analysis/capture.js';
import type { ReportModel } from '../../core/analysis/report-model.js';
import { captureFacts, captureWarnings } from './capture-facts.js';
import { palette } from './color.js';
import { histogramLines } from './histogram-text.js';
import { estimateNote, LATENCY_TITLES, latencyCells } from './latency-cells.js';
import { markdownTable, type MarkdownColumn } from './markdown-table.js';
import { modeWords } from './mode-text.js';
import type { ChartLinks } from './report-charts.js';
import { connectionsSection } from './connections-table.js';
import { tcpSection } from './tcp-text.js';
import { glossarySection } from './report-glossary.js';
import { ioUringSection } from './report-io-uring.js';
import { escapeInline } from './report-markdown.js';
import { categorySection, cpuSplitSection, findingsSection, linkPath, verdictSection } from './report-sections.js';
import { hotFilesSection, ioPatternSection, threadsSection } from './report-tables.js';
import { formatCount } from './units.js';
import { stacksSection } from './stacks-section.js';

// Title of the report.
export const MARKDOWN_TITLE = 'Syscall Profiling Report';

// Width of the histogram text blocks.
export const REPORT_CHART_WIDTH = 80;

// Said where the charts would be when the report has none (printed to stdout).
export const NO_CHARTS_NOTE = '_Charts: write the report to a file (`report --input FILE --output report.md`) to get SVG charts beside it._';

const LATENCY_COLUMNS: readonly MarkdownColumn[] = LATENCY_TITLES.map((title, i) => ({ title, align: i === 0 ? 'left' : 'right' }));

// The whole report, ending with a newline; `charts` links the SVGs written beside it (null: none).
export function renderMarkdownReport(input: string, analysis: CaptureAnalysis, model: ReportModel, charts: ChartLinks | null = null): string {
  const out: string[] = [`# ${MARKDOWN_TITLE}`, ''];
  for (const [label, value] of captureFacts(input, analysis)) out.push(`- **${label}:** ${escapeInline(value)}`);
  for (const w of captureWarnings(analysis.meta)) out.push(`- **Warning:** ${escapeInline(w)}`);

  if (model.rows.length === 0) {
    out.push('', '## Syscall Summary', '', 'No syscalls in this capture.');
    return `${out.join('\n')}\n`;
  }
  out.push('', '## Verdict', '', ...verdictSection(model));
  out.push('', '## Syscall Summary', '', ...markdownTable(LATENCY_COLUMNS, model.rows.map(latencyCells)));
  if (model.omitted > 0) out.push('', `... and ${formatCount(model.omitted)} more syscalls (see --top).`);
  const note = estimateNote(model.rows);
  if (note !== null) out.push('', `_${note}._`);

  out.push('', '## Time by Category', '', ...categorySection(model, charts?.categories ?? null));
  const inside = cpuSplitSection(model);
  if (inside.length > 0) out.push('', '## On and Off the CPU inside Syscalls', '', ...inside);
  const uring = ioUringSection(model.ioUring);
  if (uring.length > 0) out.push('', '## io_uring', '', ...uring);
  out.push('', '## Critical Findings', '', ...findingsSection(model));
  if (model.stacks != null) out.push('', '## Where the Slow Calls Come From', '', ...stacksSection(model.stacks, charts?.flames, linkPath));
  out.push('', '## Latency Distributions');
  if (charts === null) out.push('', NO_CHARTS_NOTE);
  const plain = palette(false);
  for (const d of model.distributions) {
    out.push('', `### ${d.syscall}`, '', '```text', ...histogramLines({ ...d, modeWords: modeWords(d.modes.modes, d.modeLabels), width: REPORT_CHART_WIDTH }, plain).slice(2), '```');
    const link = charts?.distributions.get(d.syscall);
    if (link !== undefined) out.push('', `![${d.syscall} latency distribution, log2 buckets](${linkPath(link)})`);
  }
  out.push('', '## I/O Patterns by File', '', ...ioPatternSection(model));
  out.push('', '## Hot Files', '', ...hotFilesSection(model));
  out.push('', '## Connections', '', ...connectionsSection(model.connections));
  if (model.tcp !== null) out.push('', '### TCP from the kernel', '', ...tcpSection(model.tcp));
  out.push('', '## Threads', '', ...threadsSection(model));
  out.push('', '## What These Syscalls Do', '', ...glossarySection(model));
  return `${out.join('\n')}\n`;
}
