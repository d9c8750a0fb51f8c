// Turning a tracing tool's failure into a BackendError that names the tool, its first stderr line and the fix.
import { BackendError } from '../../errors.js';

// How a tool run failed: spawn error code (ENOENT...), exit code, stderr text.
export interface ToolFailure {
  readonly code?: string | undefined;
  readonly exitCode?: number | undefined;
  readonly stderr: string;
  readonly cause?: unknown;
}

// The BackendError for `tool` (e.g. "perf trace"), with an install hint for a missing binary.
export function toolError(tool: string, install: string, f: ToolFailure): BackendError {
  if (f.code === 'ENOENT') return new BackendError(`${tool}: not found on PATH; fix: ${install}`, { cause: f.cause });
  const first = f.stderr.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? `exit code ${f.exitCode ?? '?'}`;
  let fix = 'see the message above';
  if (/paranoid|Permission|not permitted|EACCES|EPERM/i.test(f.stderr)) {
    fix = 'run as root, or lower kernel.perf_event_paranoid (sysctl -w kernel.perf_event_paranoid=-1)';
  } else if (/tracefs|debugfs|No such file or directory.*tracing/i.test(f.stderr)) {
    fix = 'mount tracefs: mount -t tracefs nodev /sys/kernel/tracing';
  }
  return new BackendError(`${tool} failed: ${first}; fix: ${fix}`, { cause: f.cause });
}
