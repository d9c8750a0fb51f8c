// Turning `trace` options into a TraceRequest; every conflict is a UsageError.
import { syscallNumbers } from '../core/backends/ebpf/args.js';
import { hostArch, type EbpfTraceRequest } from '../core/backends/ebpf/request.js';
import type { TraceTarget } from '../core/backends/types.js';
import { formatFromExtension, type CaptureFormat } from '../core/capture/format.js';
import { UsageError } from '../core/errors.js';
import { commandArgv } from './command-argv.js';
import { cgroupDir } from './parsers.js';
import { stacksRequest, type StackFlags } from './stack-options.js';

// `trace` options as commander parses them.
export interface TraceFlags extends StackFlags {
  readonly pid?: number[];
  readonly command?: string;
  readonly all?: boolean;
  readonly cgroup?: string;
  readonly duration?: number;
  readonly interval?: number;
  readonly follow?: boolean;
  readonly top?: number;
  readonly json?: boolean;
  readonly backend: string;
  readonly output?: string;
  readonly format?: CaptureFormat;
  readonly syscalls?: string[];
  // ns, parsed from "100us" and the like
  readonly minDuration?: number;
  readonly failed?: boolean;
  readonly ringbufMb?: number;
  // commander's --no-offcpu: false when given
  readonly offcpu?: boolean;
  // --sample N: time 1 call in N (aggregate mode only)
  readonly sample?: number;
}

// Where the events go with --output.
export interface CapturePlan {
  readonly path: string;
  readonly format: CaptureFormat;
}

// A validated `trace` invocation.
export interface TracePlan {
  readonly request: EbpfTraceRequest;
  readonly backend: string;
  readonly top: number | null;
  readonly json: boolean;
  // null without --output
  readonly capture: CapturePlan | null;
  // notes for stderr (e.g. an --output that went to the command after --)
  readonly warnings: readonly string[];
}

// Options that only make sense with --output.
const CAPTURE_ONLY: readonly (readonly [keyof TraceFlags, string])[] = [
  ['format', '--format'],
  ['syscalls', '--syscalls'],
  ['minDuration', '--min-duration'],
  ['failed', '--failed'],
  ['ringbufMb', '--ringbuf-mb'],
];

// Checks flags and operands (the command after `--`) and builds the plan.
export function planTrace(flags: TraceFlags, operands: readonly string[], arch: string = hostArch()): TracePlan {
  const targets: TraceTarget[] = [];
  if (flags.pid !== undefined && flags.pid.length > 0) targets.push({ kind: 'pids', pids: [...new Set(flags.pid)] });
  if (flags.command !== undefined) {
    if (flags.command.trim() === '') throw new UsageError('--command needs a non-empty shell command');
    targets.push({ kind: 'command', argv: commandArgv(flags.command) });
  }
  if (operands.length > 0) targets.push({ kind: 'command', argv: [...operands] });
  if (flags.all === true) targets.push({ kind: 'all' });
  if (flags.cgroup !== undefined) targets.push({ kind: 'cgroup', path: cgroupDir(flags.cgroup) });
  if (targets.length === 0) {
    throw new UsageError('nothing to trace: give --pid PID, --command "CMD", -- CMD [ARGS...], --cgroup DIR or --all (see trace --help)');
  }
  if (targets.length > 1) throw new UsageError('give only one of --pid, --command, -- CMD, --cgroup and --all');
  const target = targets[0]!;
  if (target.kind === 'all' && flags.duration === undefined) {
    throw new UsageError('--all needs --duration SEC');
  }
  if ((target.kind === 'all' || target.kind === 'cgroup') && flags.follow !== undefined) {
    throw new UsageError(`--follow and --no-follow do not apply to --${target.kind} (it sees every process in it)`);
  }
  const capture = capturePlan(flags);
  if (capture !== null && flags.sample !== undefined && flags.sample > 1) {
    throw new UsageError('--sample cannot be combined with --output: a capture records every call');
  }
  if (flags.sample !== undefined && flags.sample > 1 && flags.backend !== 'auto' && flags.backend !== 'ebpf') {
    throw new UsageError(`--sample needs the ebpf backend (${flags.backend} times every call)`);
  }
  if (capture !== null && flags.backend !== 'auto' && flags.backend !== 'ebpf') {
    throw new UsageError(`--output needs the ebpf backend (${flags.backend} cannot record every call)`);
  }
  // fail before anything starts on a name the kernel filter cannot take
  if (flags.syscalls !== undefined) syscallNumbers(flags.syscalls, arch);
  const json = flags.json === true;
  const stacks = stacksRequest(flags, flags.backend);
  const warnings: string[] = [];
  if (flags.output === undefined && operands.some((a) => a === '--output' || a.startsWith('--output='))) {
    warnings.push('note: "--output" after "--" is an argument of the traced command; put syscall-prof options before "--"');
  }
  return {
    request: {
      target,
      follow: flags.follow ?? target.kind === 'command',
      durationSec: flags.duration ?? null,
      intervalMs: flags.interval ?? null,
      // keep stdout pure JSON: the traced command prints to stderr then
      commandStdout: json ? 'stderr' : 'inherit',
      commandStdin: 'inherit',
      ...(flags.offcpu === false ? { offcpu: false } : {}),
      ...(flags.sample !== undefined && flags.sample > 1 ? { samplePeriod: flags.sample } : {}),
      ...(stacks === undefined ? {} : { stacks }),
      ...(capture === null
        ? {}
        : {
            events: true,
            syscalls: flags.syscalls ?? null,
            minDurationNs: flags.minDuration ?? 0,
            failedOnly: flags.failed === true,
            ringbufMb: flags.ringbufMb ?? null,
          }),
    },
    backend: flags.backend,
    top: flags.top ?? null,
    json,
    capture,
    warnings,
  };
}

// --output and its format, or null; capture-only options without --output are usage errors.
function capturePlan(flags: TraceFlags): CapturePlan | null {
  if (flags.output === undefined) {
    const stray = CAPTURE_ONLY.find(([key]) => flags[key] !== undefined);
    if (stray !== undefined) throw new UsageError(`${stray[1]} needs --output FILE (it applies to the captured calls)`);
    return null;
  }
  if (flags.output === '') throw new UsageError('--output needs a file name');
  return { path: flags.output, format: flags.format ?? formatFromExtension(flags.output) ?? 'csv' };
}
