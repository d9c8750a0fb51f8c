// `syscall-prof diff before after`: what changed between two captures.
import { InvalidArgumentError } from 'commander';
import { verdictInput, type CaptureAnalysis } from '../core/analysis/capture.js';
import { diffCaptures, type DiffOptions, type DiffSide } from '../core/analysis/diff.js';
import { findingsOf } from '../core/analysis/rules/index.js';
import { verdictOf } from '../core/analysis/verdict.js';
import { colorWanted, palette } from '../presentation/render/color.js';
import { renderDiff } from '../presentation/render/report-diff.js';
import { renderDiffJson } from '../presentation/render/report-diff-json.js';
import { readCapture } from './analyze-input.js';
import type { InputFormat } from '../core/capture/format.js';
import type { Io } from './io.js';

// `diff` options as commander parses them.
export interface DiffFlags {
  readonly json?: boolean;
  readonly threshold?: number;
  readonly minDelta?: number;
  readonly alpha?: number;
  readonly minCalls?: number;
  readonly format?: InputFormat;
  readonly skipBad?: boolean;
}

// A --threshold in percent ("20" or "20%") as a ratio (0.2).
export function parseThreshold(text: string): number {
  const m = /^(\d+(?:\.\d+)?)%?$/.exec(text.trim());
  const n = m === null ? NaN : Number(m[1]);
  if (!(n >= 0 && n <= 10_000)) throw new InvalidArgumentError('expected a percentage such as 20 or 20%.');
  return n / 100;
}

// An --alpha: a significance level strictly between 0 and 1 ("0.01").
export function parseAlpha(text: string): number {
  const n = /^(0?\.\d+)$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!(n > 0 && n < 1)) throw new InvalidArgumentError('expected a probability between 0 and 1, such as 0.01.');
  return n;
}

// Runs the diff subcommand; returns the exit code.
export async function diffCommand(beforeInput: string, afterInput: string, flags: DiffFlags, io: Io): Promise<number> {
  const read = (input: string): Promise<CaptureAnalysis> =>
    readCapture({ input, ...(flags.format === undefined ? {} : { format: flags.format }), ...(flags.skipBad === true ? { skipBad: true } : {}) }, io);
  const before = await read(beforeInput);
  const after = await read(afterInput);
  const options: Partial<DiffOptions> = {
    ...(flags.threshold === undefined ? {} : { threshold: flags.threshold }),
    ...(flags.minDelta === undefined ? {} : { minDeltaNs: flags.minDelta }),
    ...(flags.alpha === undefined ? {} : { alpha: flags.alpha }),
    ...(flags.minCalls === undefined ? {} : { minCalls: flags.minCalls }),
  };
  const diff = diffCaptures(sideOf(before), sideOf(after), options);
  io.stdout.write(
    flags.json === true
      ? renderDiffJson(beforeInput, afterInput, diff)
      : renderDiff({ beforeInput, afterInput, diff }, palette(colorWanted(io.stdout.isTTY, io.env))),
  );
  return 0;
}

// One side: the aggregate with its findings and verdict.
function sideOf(a: CaptureAnalysis): DiffSide {
  return {
    aggregate: a.aggregate,
    durationNs: a.durationNs,
    findings: findingsOf(a),
    verdict: verdictOf(a.aggregate, verdictInput(a), a.facts).kind,
  };
}
