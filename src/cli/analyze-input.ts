// Reading the --input capture of an offline command into an analysis.
import type { AggregateOptions } from '../core/analysis/aggregate-events.js';
import { analyzeCapture, type CaptureAnalysis } from '../core/analysis/capture.js';
import { describeSkipped } from '../core/capture/bad-rows.js';
import type { InputFormat } from '../core/capture/format.js';
import { openCapture } from '../core/backends/open-recording.js';
import type { Io } from './io.js';

// The input options the offline commands share.
export interface InputFlags {
  readonly input: string;
  readonly format?: InputFormat;
  readonly skipBad?: boolean;
}

// Opens and aggregates the capture (a progress bar on stderr for a large file
// on a terminal); its InputErrors (exit 65) pass through. With --skip-bad, one
// stderr line says how many rows were skipped.
export async function readCapture(flags: InputFlags, io: Io, options: AggregateOptions = {}): Promise<CaptureAnalysis> {
  const source = openCapture(flags.input, {
    ...(flags.format === undefined ? {} : { format: flags.format }),
    skipBad: flags.skipBad === true,
    progress: io.stderr,
  });
  const analysis = await analyzeCapture(source, options);
  const { skipped, warnings } = source.final();
  if (skipped !== null) io.stderr.write(`syscall-prof: ${describeSkipped(skipped)}\n`);
  for (const w of warnings ?? []) io.stderr.write(`syscall-prof: ${flags.input}: ${w}\n`);
  return analysis;
}
