// `syscall-prof histogram`: one syscall's latency distribution from a capture file.
import { bucketTable } from '../core/analysis/buckets.js';
import type { CaptureAnalysis } from '../core/analysis/capture.js';
import { latencyRow } from '../core/analysis/latency-rows.js';
import { mainCategory, modeLabels } from '../core/analysis/mode-labels.js';
import { findModes } from '../core/analysis/modes.js';
import { categoryOfName } from '../core/model/categories.js';
import { colorWanted, palette } from '../presentation/render/color.js';
import { renderHistogramJson } from '../presentation/render/histogram-json.js';
import { renderHistogram } from '../presentation/render/histogram-text.js';
import { modeWords } from '../presentation/render/mode-text.js';
import { formatDuration } from '../presentation/render/units.js';
import { readCapture, type InputFlags } from './analyze-input.js';
import { checkSyscallName, parseBuckets } from './histogram-options.js';
import type { Io } from './io.js';

// `histogram` options as commander parses them.
export interface HistogramFlags extends InputFlags {
  readonly syscall: string;
  readonly buckets?: string;
  readonly json?: boolean;
}

// Width when stdout is not a terminal.
export const DEFAULT_COLUMNS = 80;

// Shown after `histogram --help`.
export const HISTOGRAM_HELP_AFTER = `
Buckets (--buckets):
  default           < 10 µs, 10-50 µs, 50-100 µs, 100-500 µs, 500 µs-1 ms, 1-10 ms, > 10 ms
  log2              powers of two of ns, over the span the calls cover
  10us,100us,1ms    your own edges, increasing; units ns, us (or µs), ms, s

When the latencies form separate clusters (say cached and disk reads), a line
says so: "Bimodal: 95% under 100 µs, 5% at 1-10 ms". A cluster counts from 3%
of the calls, when the dip between it and its neighbour is at most half the
smaller peak.

Exit status 1 when the capture has no calls of the syscall.

EXAMPLES
  syscall-prof histogram --input trace.csv --syscall read
  syscall-prof histogram --input trace.csv --syscall fsync --buckets log2
  syscall-prof histogram --input trace.csv --syscall pread64 --buckets 1us,10us,100us,1ms,10ms
  syscall-prof histogram --input trace.csv --syscall read --json
`;

// Runs the histogram subcommand; returns the exit code.
export async function histogramCommand(flags: HistogramFlags, io: Io): Promise<number> {
  const name = checkSyscallName(flags.syscall);
  const spec = parseBuckets(flags.buckets);
  const analysis = await readCapture(flags, io, spec.kind === 'edges' ? { edgesNs: spec.edgesNs } : {});
  const s = analysis.aggregate.syscalls.find((x) => x.name === name);
  if (s === undefined || s.count === 0) {
    io.stderr.write(`syscall-prof: ${absentMessage(name, flags.input, analysis)}\n`);
    return 1;
  }
  const table = bucketTable(s, spec);
  const modes = findModes(s.distribution);
  const row = latencyRow(s);
  io.stdout.write(
    flags.json === true
      ? renderHistogramJson({ input: flags.input, syscall: name, spec, table, modes, row })
      : renderHistogram({ syscall: name, table, modes, row, width: columnsOf(io), modeWords: modeWords(modes.modes, modeLabels(modes, mainCategory(s.categories, categoryOfName(s.name)))) }, palette(colorWanted(io.stdout.isTTY, io.env))),
  );
  return 0;
}

// "no calls of fsync in f.csv (its top syscalls: read, write, close)", with the
// capture's filters when they may be why.
export function absentMessage(name: string, input: string, analysis: CaptureAnalysis): string {
  const present = analysis.aggregate.syscalls.filter((s) => s.count > 0).map((s) => s.name);
  const { filters } = analysis.meta;
  if (filters.syscalls !== null && !filters.syscalls.includes(name)) {
    return `no calls of ${name} in ${input} (it recorded only ${filters.syscalls.join(', ')})`;
  }
  const kept: string[] = [];
  if (filters.minDurationNs > 0) kept.push(`calls of ${formatDuration(filters.minDurationNs)} or more`);
  if (filters.failedOnly) kept.push('failed calls');
  const filtered = kept.length === 0 ? '' : `; it kept only ${kept.join(' and ')}`;
  const top = present.length === 0 ? 'it has no calls at all' : `its top syscalls: ${present.slice(0, 5).join(', ')}`;
  return `no calls of ${name} in ${input} (${top}${filtered})`;
}

function columnsOf(io: Io): number {
  const columns = (io.stdout as { readonly columns?: unknown }).columns;
  return io.stdout.isTTY === true && typeof columns === 'number' && columns > 0 ? columns : DEFAULT_COLUMNS;
}
