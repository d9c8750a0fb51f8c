// `syscall-prof check --baseline base.spb current.spb`: a CI gate on latency regressions.
import { checkCaptures, type CheckInput, type CheckOptions } from '../core/analysis/check.js';
import { writeFileAtomically } from '../core/capture/atomic-file.js';
import type { InputFormat } from '../core/capture/format.js';
import { UsageError } from '../core/errors.js';
import { renderCheckJson } from '../presentation/render/check-json.js';
import { renderCheckJunit } from '../presentation/render/check-junit.js';
import { renderCheck, type CheckView } from '../presentation/render/check-text.js';
import { colorWanted, palette } from '../presentation/render/color.js';
import { readCapture } from './analyze-input.js';
import type { Io } from './io.js';

// `check` options as commander parses them.
export interface CheckFlags {
  readonly baseline?: readonly string[];
  readonly maxP50Regression?: number;
  readonly maxP99Regression?: number;
  readonly maxRateRegression?: number;
  readonly alpha?: number;
  readonly minCalls?: number;
  readonly json?: boolean;
  readonly junit?: string;
  readonly format?: InputFormat;
  readonly skipBad?: boolean;
}

// Collects repeated --baseline files.
export function collectBaseline(text: string, previous: readonly string[] = []): string[] {
  return [...previous, text];
}

// Shown after `check --help`.
export const CHECK_HELP_AFTER = `
Compares CURRENT with a baseline of one or more earlier captures of the same
workload (--baseline, repeatable; their calls are pooled per syscall), each
read like analyze reads it (CSV, JSON lines, spb or Parquet), and judges every syscall
on its p50 and p99 with the tests diff uses:
  p50  Mann-Whitney U test        p99  exact exceedance test
  REGRESSED      significantly slower (p below --alpha, default 0.01, and at
                 least 100 ns) by more than --max-p50-regression or
                 --max-p99-regression (default 20% each)
  IMPROVED       significantly faster by more than that, nothing regressed
  PASS           neither
  INDETERMINATE  fewer than --min-calls calls (default 30) on either side,
                 for a syscall with 10% or more of the working syscall time
A syscall with few calls and less time than that (start-up calls made once
a run) is not judged and does not hold the gate.
--max-rate-regression PCT also fails the gate when the calls per second fell
by more than PCT against the baselines' pooled rate (one number a side: no
test; use it for captures of a fixed duration under a fixed load).
Waiting syscalls (epoll_wait, poll, futex, nanosleep...) are listed as not
judged: a longer wait is idle time, not a slower call. Syscalls only in
CURRENT (new) or only in the baseline (gone) are listed, not judged.

Exit status: 0 everything passed or improved, 1 a syscall (or the rate)
regressed, 3 no regression but something was indeterminate or nothing could
be judged; 2 usage error, 65 bad input.

--junit FILE writes JUnit XML (testsuite "syscall-prof check", a testcase per
judged syscall: <failure> when regressed, <skipped> when indeterminate) under
a temporary name in FILE's directory, renamed into place when complete.

EXAMPLES
  syscall-prof check --baseline base.spb current.spb
  syscall-prof check --baseline run1.spb --baseline run2.spb --baseline run3.spb current.spb
  syscall-prof check --baseline base.csv --max-p99-regression 50% --junit check.xml current.csv
  syscall-prof check --baseline base.spb --json current.spb | jq '.syscalls[] | select(.verdict == "regressed")'
`;

// Runs the check subcommand; returns the exit code.
export async function checkCommand(currentInput: string, flags: CheckFlags, io: Io): Promise<number> {
  const baselineInputs = flags.baseline ?? [];
  if (baselineInputs.length === 0) throw new UsageError('check needs at least one --baseline capture');
  const read = async (input: string): Promise<CheckInput> => {
    const a = await readCapture({ input, ...(flags.format === undefined ? {} : { format: flags.format }), ...(flags.skipBad === true ? { skipBad: true } : {}) }, io);
    return { aggregate: a.aggregate, durationNs: a.durationNs };
  };
  const baselines: CheckInput[] = [];
  for (const input of baselineInputs) baselines.push(await read(input));
  const current = await read(currentInput);
  const options: Partial<CheckOptions> = {
    ...(flags.maxP50Regression === undefined ? {} : { maxP50Regression: flags.maxP50Regression }),
    ...(flags.maxP99Regression === undefined ? {} : { maxP99Regression: flags.maxP99Regression }),
    ...(flags.maxRateRegression === undefined ? {} : { maxRateRegression: flags.maxRateRegression }),
    ...(flags.alpha === undefined ? {} : { alpha: flags.alpha }),
    ...(flags.minCalls === undefined ? {} : { minCalls: flags.minCalls }),
  };
  const view: CheckView = { baselineInputs, currentInput, check: checkCaptures(baselines, current, options) };
  if (flags.junit !== undefined) writeFileAtomically(flags.junit, renderCheckJunit(view));
  io.stdout.write(flags.json === true ? renderCheckJson(view) : renderCheck(view, palette(colorWanted(io.stdout.isTTY, io.env))));
  return view.check.exitCode;
}
