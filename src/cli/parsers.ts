import { statSync } from 'node:fs';
// Option value parsers for commander; they throw InvalidArgumentError (exit 2).
import { InvalidArgumentError } from 'commander';
import { UsageError } from '../core/errors.js';

// A process id: a positive integer.
export function parsePid(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1 || n > 2 ** 22) throw new InvalidArgumentError('not a process id.');
  return n;
}

// Appends a parsed pid to the ones given before (for a repeatable --pid).
export function collectPid(text: string, previous: number[] = []): number[] {
  return [...previous, parsePid(text)];
}

// A positive integer within [min, max].
export function intInRange(min: number, max: number): (text: string) => number {
  return (text) => {
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < min || n > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}.`);
    return n;
  };
}

// The help of --sample (trace, live and agent).
export const SAMPLE_HELP =
  'time only 1 call in N, chosen at random (eBPF, aggregate mode); counts and errors stay exact, times and percentiles become estimates marked "~"';

// --max-overhead: a share of one CPU in percent, 0.01 to 100 ("1", "0.5%").
export function parsePercent(text: string): number {
  const m = /^(\d+\.?\d*|\.\d+)%?$/.exec(text.trim());
  const n = m === null ? NaN : Number(m[1]);
  if (!(n >= 0.01 && n <= 100)) throw new InvalidArgumentError('expected a percentage from 0.01 to 100 (e.g. 1 or 0.5%).');
  return n;
}

// The help of --max-overhead (agent).
export const MAX_OVERHEAD_HELP =
  'keep the BPF programs under PCT% of one CPU by timing fewer calls: the sample period (from --sample) doubles while over budget, halves when well under; counts stay exact, syscall_prof_sample_period follows it';

// The help of --max-overhead (live): the same, shown in the header.
export const LIVE_MAX_OVERHEAD_HELP =
  'keep the BPF programs under PCT% of one CPU by timing fewer calls: the sample period (from --sample) doubles while over budget, halves when well under; counts stay exact, the header shows the period in force';

// A positive number of seconds, decimals allowed, at most a year.
export function parseSeconds(text: string): number {
  const n = Number(text);
  if (!/^(\d+\.?\d*|\.\d+)$/.test(text) || !(n > 0) || n > 365 * 86400) {
    throw new InvalidArgumentError('expected a positive number of seconds.');
  }
  return n;
}

// Seconds, zero allowed (a warm-up that can be skipped), at most an hour.
export function parseSecondsOrZero(text: string): number {
  const n = Number(text);
  if (!/^(\d+\.?\d*|\.\d+)$/.test(text) || !(n >= 0) || n > 3600) throw new InvalidArgumentError('expected a number of seconds from 0 to 3600.');
  return n;
}

// A --cgroup argument: an existing directory (a cgroup v2 directory; the loader checks the rest).
export function cgroupDir(path: string): string {
  let dir = false;
  try {
    dir = statSync(path).isDirectory();
  } catch {
    dir = false;
  }
  if (!dir) throw new UsageError(`--cgroup ${path} is not a cgroup v2 directory (e.g. /sys/fs/cgroup/system.slice/nginx.service)`);
  return path;
}
