// `syscall-prof report`: the Markdown report of a capture file, to stdout or to
// a file with its SVG charts beside it; or the report model as JSON.
import { reportModel } from '../core/analysis/report-model.js';
import { writeFileAtomically } from '../core/capture/atomic-file.js';
import { renderMarkdownReport } from '../presentation/render/markdown-report.js';
import { chartLinks, reportCharts } from '../presentation/render/report-charts.js';
import { renderReportJson } from '../presentation/render/report-json.js';
import { readCapture, type InputFlags } from './analyze-input.js';
import { chartsDirOf, writeWithCharts } from './chart-output.js';
import type { Io } from './io.js';

// `report` options as commander parses them.
export interface ReportFlags extends InputFlags {
  readonly output?: string;
  readonly top?: number;
  readonly json?: boolean;
}

// Shown after `report --help`.
export const REPORT_HELP_AFTER = `
The report (Markdown): what was traced and for how long; the verdict (CPU-,
I/O- or lock-bound, idle, mixed) with its numbers; the syscall summary; time by
I/O category with the bottleneck marked (waiting, such as epoll_wait or futex,
shown apart) and, when the capture has them, on/off-CPU times; findings ranked
by estimated saving, each with evidence, why it matters and what to do; the
latency distributions of the three syscalls with the most time; per-file I/O
patterns (sequential/random), hot files, threads; and one line on what each
syscall named does. A capture of \`trace --stacks\` adds "Where the Slow Calls
Come From": per syscall with the most slow time, the stacks holding most of it
(share, calls, p50/p99/max) and a flame graph, and its findings quote the top
stack of their syscall.

With --output the report is written under a temporary name and renamed into
place, and SVG charts (time by category, one latency histogram per
distribution, a flame graph per syscall with stacks) go into REPORT.assets/
beside it, linked with relative paths so they show on GitHub. Without --output the Markdown goes to stdout, no charts.
--json prints the report model instead (for scripts).

EXAMPLES
  syscall-prof report --input trace.csv --output report.md
  syscall-prof report --input trace.csv --top 10 | less
  syscall-prof report --input trace.csv --json | jq '.findings[] | {rule, severity, savingNs}'
`;

// Runs the report subcommand; returns the exit code.
export async function reportCommand(flags: ReportFlags, io: Io): Promise<number> {
  const analysis = await readCapture(flags, io);
  const model = reportModel(analysis, flags.top ?? null);
  if (flags.json === true && flags.output === undefined) {
    io.stdout.write(renderReportJson(flags.input, analysis, model));
    return 0;
  }
  if (flags.output === undefined) {
    io.stdout.write(renderMarkdownReport(flags.input, analysis, model));
    return 0;
  }
  if (flags.json === true) {
    writeFileAtomically(flags.output, renderReportJson(flags.input, analysis, model));
    return 0;
  }
  const dir = chartsDirOf(flags.output);
  const charts = reportCharts(analysis, model, dir);
  writeWithCharts(flags.output, charts, () => renderMarkdownReport(flags.input, analysis, model, chartLinks(charts, model, dir)));
  return 0;
}
