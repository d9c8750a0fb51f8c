// Turning `trace` options into a TraceRequest; every conflict is a UsageError.
import type { TraceRequest, TraceTarget } from '../backends/types.js';
import { UsageError } from '../errors.js';

// `trace` options as commander parses them.
export interface TraceFlags {
  readonly pid?: number[];
  readonly command?: string;
  readonly all?: boolean;
  readonly duration?: number;
  readonly interval?: number;
  readonly follow?: boolean;
  readonly top?: number;
  readonly json?: boolean;
  readonly backend: string;
  readonly output?: string;
}

// A validated `trace` invocation.
export interface TracePlan {
  readonly request: TraceRequest;
  readonly backend: string;
  readonly top: number | null;
  readonly json: boolean;
}

// Checks flags and operands (the command after `--`) and builds the plan.
export function planTrace(flags: TraceFlags, operands: readonly string[]): TracePlan {
  if (flags.output !== undefined) throw new UsageError('--output is not yet supported');
  const targets: TraceTarget[] = [];
  if (flags.pid !== undefined && flags.pid.length > 0) targets.push({ kind: 'pids', pids: [...new Set(flags.pid)] });
  if (flags.command !== undefined) {
    if (flags.command.trim() === '') throw new UsageError('--command needs a non-empty shell command');
    targets.push({ kind: 'command', argv: ['/bin/sh', '-c', flags.command] });
  }
  if (operands.length > 0) targets.push({ kind: 'command', argv: [...operands] });
  if (flags.all === true) targets.push({ kind: 'all' });
  if (targets.length === 0) {
    throw new UsageError('nothing to trace: give --pid PID, --command "CMD", -- CMD [ARGS...] or --all (see trace --help)');
  }
  if (targets.length > 1) throw new UsageError('give only one of --pid, --command, -- CMD and --all');
  const target = targets[0]!;
  if (target.kind === 'all' && flags.duration === undefined) {
    throw new UsageError('--all needs --duration SEC');
  }
  if (target.kind === 'all' && flags.follow !== undefined) {
    throw new UsageError('--follow and --no-follow do not apply to --all');
  }
  const json = flags.json === true;
  return {
    request: {
      target,
      follow: flags.follow ?? target.kind === 'command',
      durationSec: flags.duration ?? null,
      intervalMs: flags.interval ?? null,
      // keep stdout pure JSON: the traced command prints to stderr then
      commandStdout: json ? 'stderr' : 'inherit',
    },
    backend: flags.backend,
    top: flags.top ?? null,
    json,
  };
}
