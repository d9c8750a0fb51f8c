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
import type { SyscallAggregate } from '../core/analysis/aggregate.js';
import { ioUringAggregate } from '../core/analysis/io-uring-aggregate.js';
import { UsageError } from '../core/errors.js';
import { IO_URING_OP_NAMES, ioUringOpcode, ioUringOpName } from '../core/model/io-uring.js';
import type { Io } from './io.js';

// `histogram` options as commander parses them.
export interface HistogramFlags extends InputFlags {
  // one of the two: a syscall, or an io_uring opcode's requests
  readonly syscall?: string;
  readonly ioUringOp?: string;
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

--io-uring-op OP shows the submit -> complete latency of one io_uring opcode's
requests instead (read, write, fsync, send, recv, ...; captures of the eBPF
backend carry them: spb, and CSV or JSON lines with their per-request records),
estimated from the in-kernel histogram (or the records' histogram).

Exit status 1 when the capture has no calls of the syscall (no requests of the opcode).

EXAMPLES
  syscall-prof histogram --input trace.csv --syscall read
  syscall-prof histogram --input trace.csv --syscall fsync --buckets log2
  syscall-prof histogram --input trace.csv --syscall pread64 --buckets 1us,10us,100us,1ms,10ms
  syscall-prof histogram --input trace.csv --syscall read --json
  syscall-prof histogram --input trace.spb --io-uring-op read
`;

// Runs the histogram subcommand; returns the exit code.
export async function histogramCommand(flags: HistogramFlags, io: Io): Promise<number> {
  const which = whichLatencies(flags);
  const spec = parseBuckets(flags.buckets);
  const analysis = await readCapture(flags, io, spec.kind === 'edges' ? { edgesNs: spec.edgesNs } : {});
  const found = which.kind === 'syscall' ? analysis.aggregate.syscalls.find((x) => x.name === which.name) : ioUringOf(analysis, which.opcode);
  if (found === undefined || found.count === 0) {
    const message = which.kind === 'syscall' ? absentMessage(which.name, flags.input, analysis) : absentOpMessage(which.op, flags.input, analysis);
    io.stderr.write(`syscall-prof: ${message}\n`);
    return 1;
  }
  const s = found;
  const name = s.name;
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

// --syscall or --io-uring-op, checked: exactly one, a known name
function whichLatencies(flags: HistogramFlags): { kind: 'syscall'; name: string } | { kind: 'io-uring'; op: string; opcode: number } {
  if ((flags.syscall === undefined) === (flags.ioUringOp === undefined)) throw new UsageError('histogram needs either --syscall or --io-uring-op (one of them)');
  if (flags.syscall !== undefined) return { kind: 'syscall', name: checkSyscallName(flags.syscall) };
  const opcode = ioUringOpcode(flags.ioUringOp!);
  if (opcode === null) throw new UsageError(`unknown io_uring opcode '${flags.ioUringOp}' (one of: ${IO_URING_OP_NAMES.join(', ')})`);
  return { kind: 'io-uring', op: ioUringOpName(opcode), opcode };
}

// the aggregate of an opcode's requests, when the capture has any
function ioUringOf(analysis: CaptureAnalysis, opcode: number): SyscallAggregate | undefined {
  const o = analysis.ioUring?.ops.find((x) => x.opcode === opcode);
  return o === undefined ? undefined : ioUringAggregate(o);
}

// "no io_uring read requests in f.spb (it has: write, fsync)", or why the capture has none at all
export function absentOpMessage(op: string, input: string, analysis: CaptureAnalysis): string {
  const u = analysis.ioUring;
  if (u == null) return `no io_uring requests in ${input}: only captures of the eBPF backend carry them (spb, or CSV and JSON lines written by trace --output)`;
  if (!u.traced) return `no io_uring requests in ${input}: io_uring was not traced (${u.offReason ?? 'unknown reason'})`;
  const present = u.ops.filter((o) => o.count > 0).map((o) => o.op);
  return `no io_uring ${op} requests in ${input} (${present.length === 0 ? 'it has no io_uring requests' : `it has: ${present.join(', ')}`})`;
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
