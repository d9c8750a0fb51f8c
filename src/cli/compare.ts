// `syscall-prof compare A B C ...`: N captures of the same workload side by
// side (load levels, versions), each judged against the first.
import { basename, extname } from 'node:path';
import { InvalidArgumentError } from 'commander';
import type { CaptureAnalysis } from '../core/analysis/capture.js';
import { compareCaptures, DEFAULT_COMPARE_SYSCALLS, type Comparison } from '../core/analysis/compare.js';
import type { DiffOptions } from '../core/analysis/diff.js';
import type { InputFormat } from '../core/capture/format.js';
import { writeFileAtomically } from '../core/capture/atomic-file.js';
import { UsageError } from '../core/errors.js';
import { colorWanted, palette } from '../presentation/render/color.js';
import { compareCharts } from '../presentation/render/compare-charts.js';
import { renderCompareJson } from '../presentation/render/compare-json.js';
import { renderCompareMarkdown } from '../presentation/render/compare-markdown.js';
import { renderCompareText } from '../presentation/render/compare-text.js';
import { readCapture } from './analyze-input.js';
import { chartsDirOf, writeWithCharts } from './chart-output.js';
import type { Io } from './io.js';

// `compare` options as commander parses them.
export interface CompareFlags {
  readonly labels?: string[];
  readonly syscalls?: string[];
  readonly top?: number;
  readonly output?: string;
  readonly json?: boolean;
  readonly threshold?: number;
  readonly alpha?: number;
  readonly minCalls?: number;
  readonly format?: InputFormat;
  readonly skipBad?: boolean;
}

// Shown after `compare --help`.
export const COMPARE_HELP_AFTER = `
Each capture is one level (a load level, a version, a configuration); the first
is the reference. Per syscall and per level: calls, calls/s, errors, avg, p50,
p90, p99, max, the share of its time off the CPU, and how the level differs
from the first, judged by the same tests as diff (Mann-Whitney U for p50 and
the mean, an exceedance test for p99; more calls is more work, said apart).
Then the verdict of each level, time by category per level, and the findings
made at some levels and not others. Sweep captures also carry how loaded the
machine was (CPU busy, /proc/pressure), shown with each level.

With --output the Markdown is written atomically and three SVG charts go into
OUTPUT.assets/ beside it (latency per syscall across levels, the latency
distributions of each level overlaid, time by category per level).

Labels default to each capture's recorded level (sweep), else its file name.

EXAMPLES
  syscall-prof compare base.spb medium.spb high.spb --labels baseline,medium,high
  syscall-prof compare v1.csv v2.csv v3.csv --syscalls read,write,fsync --output cmp.md
  syscall-prof compare sweep/*.spb --json | jq '.rows[] | {syscall, changes}'
`;

// A comma-separated list of level labels.
export function parseLabels(text: string): string[] {
  const labels = text.split(',').map((s) => s.trim());
  if (labels.some((l) => l === '')) throw new InvalidArgumentError('expected labels separated by commas, e.g. baseline,medium,high.');
  return labels;
}

// Runs the compare subcommand; returns the exit code.
export async function compareCommand(inputs: readonly string[], flags: CompareFlags, io: Io): Promise<number> {
  if (inputs.length < 2) throw new UsageError('compare needs at least two captures');
  if (flags.labels !== undefined && flags.labels.length !== inputs.length) {
    throw new UsageError(`--labels gives ${flags.labels.length} label${flags.labels.length === 1 ? '' : 's'} for ${inputs.length} captures`);
  }
  const analyses: CaptureAnalysis[] = [];
  for (const input of inputs) {
    analyses.push(await readCapture({ input, ...(flags.format === undefined ? {} : { format: flags.format }), ...(flags.skipBad === true ? { skipBad: true } : {}) }, io));
  }
  const labels = flags.labels ?? uniqueLabels(inputs.map((input, k) => analyses[k]!.meta.load?.label ?? basename(input, extname(input))));
  const diff: Partial<DiffOptions> = {
    ...(flags.threshold === undefined ? {} : { threshold: flags.threshold }),
    ...(flags.alpha === undefined ? {} : { alpha: flags.alpha }),
    ...(flags.minCalls === undefined ? {} : { minCalls: flags.minCalls }),
  };
  const comparison = compareCaptures(
    analyses.map((analysis, k) => ({ label: labels[k]!, analysis })),
    { syscalls: flags.syscalls ?? null, top: flags.top ?? DEFAULT_COMPARE_SYSCALLS, diff },
  );
  writeComparison(comparison, analyses, inputs, flags, io);
  return 0;
}

// The comparison to stdout or --output (Markdown with charts, or JSON).
export function writeComparison(comparison: Comparison, analyses: readonly CaptureAnalysis[], inputs: readonly string[], flags: Pick<CompareFlags, 'output' | 'json'>, io: Io): void {
  if (flags.output === undefined) {
    io.stdout.write(flags.json === true ? renderCompareJson(comparison, inputs) : renderCompareText({ comparison, inputs }, palette(colorWanted(io.stdout.isTTY, io.env))));
    return;
  }
  if (flags.json === true) {
    writeFileAtomically(flags.output, renderCompareJson(comparison, inputs));
    return;
  }
  const { charts, links } = compareCharts(comparison, analyses, chartsDirOf(flags.output));
  writeWithCharts(flags.output, charts, () => renderCompareMarkdown(comparison, inputs, links));
}

// Labels made unique by a suffix ("run", "run-2").
function uniqueLabels(labels: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return labels.map((l) => {
    const n = (seen.get(l) ?? 0) + 1;
    seen.set(l, n);
    return n === 1 ? l : `${l}-${n}`;
  });
}
