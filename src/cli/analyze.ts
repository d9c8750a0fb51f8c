// `syscall-prof analyze`: per-syscall latency statistics of a capture file.
import { connectionTable } from '../core/analysis/connection-table.js';
import { colorWanted, palette } from '../presentation/render/color.js';
import { renderConnectionsJson } from '../presentation/render/connections-json.js';
import { connectionsText } from '../presentation/render/connections-table.js';
import { renderAnalyzeJson } from '../presentation/render/analyze-json.js';
import { renderAnalyze } from '../presentation/render/analyze-text.js';
import { readCapture, type InputFlags } from './analyze-input.js';
import type { Io } from './io.js';
import { foldedLines, type FoldedValue } from '../core/analysis/stacks.js';
import { writeFileAtomically } from '../core/capture/atomic-file.js';
import { InputError, UsageError } from '../core/errors.js';
import { stacksPprof } from '../presentation/export/pprof.js';
import { renderFolded } from '../presentation/render/folded-text.js';

// `analyze` options as commander parses them.
export interface AnalyzeFlags extends InputFlags {
  readonly top?: number;
  readonly json?: boolean;
  readonly connections?: boolean;
  readonly folded?: boolean;
  readonly foldedValue?: FoldedValue;
  readonly pprof?: string;
}

// Shown after `analyze --help`.
export const ANALYZE_HELP_AFTER = `
Reads a capture written by \`trace --output\` (CSV, JSON lines, spb or Parquet) once, in
bounded memory, and prints per syscall: calls, errors by errno, total and
average time, p50/p90/p95/p99 and max, sorted by total time.

Percentiles are exact (nearest rank, to 3 significant figures) for captures
with per-call events; for aggregate-only captures they are estimated from the
in-kernel histograms and marked with "~".

EXAMPLES
  syscall-prof analyze --input trace.csv
  syscall-prof analyze --input trace.csv --top 10
  syscall-prof analyze --input trace.spb --json > summary.json
  syscall-prof analyze --input damaged.csv --skip-bad
  syscall-prof analyze --input trace.spb --connections
  syscall-prof analyze --input trace.spb --connections --json

--connections follows each TCP and unix stream connection from socket() or
accept() to close() (needs a capture with per-call events): per process,
direction and endpoint, connections, connect and first-byte latency
(p50/p99), request/response turns, bytes, lifetime, idle gaps and errors.
--top limits the groups listed.

Captures of \`trace --stacks\` carry the stacks of the slow calls:
--folded prints them as folded stacks, one line per syscall and stack,
"main;ledger_run;ledger_durable_commit;fsync;sys_fsync 12345678" (outermost
frame first, the syscall as the leaf), valued by the slow calls' time in ns or,
with --folded-value calls, by their number: the input of flamegraph.pl,
speedscope and inferno. --pprof FILE writes them as a gzipped pprof profile
(sample types slow_calls/count and slow_time/nanoseconds; labels syscall and
pid) for go tool pprof or Grafana Pyroscope.

  syscall-prof analyze --input db.spb --folded | flamegraph.pl > db.svg
  syscall-prof analyze --input db.csv --folded --folded-value calls > db.folded
  syscall-prof analyze --input db.spb --pprof db.pb.gz && go tool pprof -top db.pb.gz
`;

// Runs the analyze subcommand; returns the exit code.
export async function analyzeCommand(flags: AnalyzeFlags, io: Io): Promise<number> {
  if (flags.foldedValue !== undefined && flags.folded !== true) throw new UsageError('--folded-value needs --folded');
  if (flags.folded === true && (flags.json === true || flags.connections === true)) throw new UsageError('--folded cannot be combined with --json or --connections');
  const analysis = await readCapture(flags, io);
  const top = flags.top ?? null;
  if (flags.folded === true || flags.pprof !== undefined) {
    const stacks = analysis.stacks ?? null;
    if (stacks === null) throw new InputError('the capture has no stacks (record it with trace --stacks)', { file: flags.input });
    if (flags.pprof !== undefined) writeFileAtomically(flags.pprof, stacksPprof(stacks, { startRealNs: analysis.meta.startRealNs, durationNs: analysis.durationNs }));
    if (flags.folded === true) {
      io.stdout.write(renderFolded(foldedLines(stacks, flags.foldedValue ?? 'time')));
      return 0;
    }
  }
  if (flags.connections === true) {
    const table = analysis.facts === null ? null : connectionTable(analysis.facts.connections, top);
    io.stdout.write(flags.json === true ? renderConnectionsJson(flags.input, table) : `${connectionsText(table, palette(colorWanted(io.stdout.isTTY, io.env))).join('\n')}\n`);
    return 0;
  }
  io.stdout.write(
    flags.json === true
      ? renderAnalyzeJson(flags.input, analysis, top)
      : renderAnalyze({ input: flags.input, analysis, top }, palette(colorWanted(io.stdout.isTTY, io.env))),
  );
  return 0;
}
