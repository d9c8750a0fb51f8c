// Turning `live` options into a plan; every conflict is a UsageError.
import { InvalidArgumentError } from 'commander';
import { FULL_EVERY, type EbpfTraceRequest } from '../core/backends/ebpf/request.js';
import type { TraceTarget } from '../core/backends/types.js';
import { formatFromExtension } from '../core/capture/format.js';
import type { ExportFlags } from './export-options.js';
import type { AnomalyOptions } from '../core/analysis/anomaly.js';
import { anomalyOptionsOf, type AnomalyFlags } from './anomaly-options.js';
import { UsageError } from '../core/errors.js';
import { commandArgv } from './command-argv.js';
import { cgroupDir } from './parsers.js';
import { stacksRequest, type StackFlags } from './stack-options.js';
import { VIEWS, type SortColumn, type ViewName } from '../presentation/tui/model/view-rows.js';
import { SORT_ORDER } from '../presentation/tui/state.js';

// `live` options as commander parses them.
export interface LiveFlags extends ExportFlags, AnomalyFlags, StackFlags {
  readonly pid?: number[];
  readonly command?: string;
  readonly cgroup?: string;
  // ms, from parseInterval
  readonly interval?: number;
  readonly duration?: number;
  readonly iterations?: number;
  readonly follow?: boolean;
  readonly backend: string;
  readonly events?: boolean;
  readonly batch?: boolean;
  readonly json?: boolean;
  readonly output?: string;
  readonly view?: string;
  readonly sort?: string;
  readonly filter?: string;
  readonly top?: number;
  readonly includeWaits?: boolean;
  // --sample N: time 1 call in N
  readonly sample?: number;
  // --max-overhead PCT: raise N at run time to keep the BPF cost under PCT% of one CPU
  readonly maxOverhead?: number;
}

// How the snapshots are shown.
export type LiveMode = 'tui' | 'batch' | 'json';

// A validated `live` invocation.
export interface LivePlan {
  readonly request: EbpfTraceRequest;
  readonly mode: LiveMode;
  readonly intervalMs: number;
  // stop after this many snapshots; null: until the target ends, the duration, q or Ctrl-C
  readonly iterations: number | null;
  readonly events: boolean;
  // the .spb file the loader's stream is copied to, or null
  readonly output: string | null;
  readonly view: ViewName;
  readonly sort: SortColumn;
  readonly filter: string;
  // waiting calls (epoll_wait, futex, sleeps...) counted in %TIME and ranked with the rest; false: apart
  readonly includeWaits: boolean;
  // rows per batch snapshot / per JSON list
  readonly top: number;
  readonly warnings: readonly string[];
  // anomaly detection (rows marked, a line under the header); null with --no-anomalies
  readonly anomalies: AnomalyOptions | null;
}

// The default snapshot interval, ms.
export const DEFAULT_INTERVAL_MS = 1000;

// Which backends can run `live`, and what they cost: shown in errors and help.
export const LIVE_BACKENDS_TEXT =
  'only the ebpf backend streams snapshots while tracing (in-kernel histograms, about 250 ns per syscall); ' +
  'strace (100-650x slower), perf (about 150x) and bpftrace report only at the end: use `trace --backend NAME` for those';

// "500ms", "2s", "1.5" (seconds) -> whole ms, 10 ms to one hour.
export function parseInterval(text: string): number {
  const m = /^(\d+(?:\.\d+)?|\.\d+)\s*(ms|s)?$/.exec(text.trim());
  if (m === null) throw new InvalidArgumentError('expected an interval like 500ms, 2s or 1 (seconds).');
  const ms = Math.round(Number(m[1]) * (m[2] === 'ms' ? 1 : 1000));
  if (ms < 10 || ms > 3_600_000) throw new InvalidArgumentError('expected an interval from 10ms to 3600s.');
  return ms;
}

// Checks flags and operands (the command after `--`) and builds the plan; isTTY: whether stdout is a terminal.
export function planLive(flags: LiveFlags, operands: readonly string[], isTTY: boolean): LivePlan {
  const target = liveTarget(flags, operands);
  if (flags.backend !== 'ebpf' && flags.backend !== 'auto') {
    throw new UsageError(`live cannot use the ${flags.backend} backend: ${LIVE_BACKENDS_TEXT}`);
  }
  if (flags.batch === true && flags.json === true) throw new UsageError('give only one of --batch and --json');
  if (target.kind === 'all' && flags.follow !== undefined) throw new UsageError('--follow and --no-follow do not apply to the whole system');
  const view = (flags.view ?? 'syscall') as ViewName;
  if (!VIEWS.includes(view)) throw new UsageError(`unknown view "${flags.view}" (choose from ${VIEWS.join(', ')})`);
  const sort = (flags.sort ?? 'share') as SortColumn;
  if (!SORT_ORDER.includes(sort)) throw new UsageError(`unknown sort column "${flags.sort}" (choose from ${SORT_ORDER.join(', ')})`);
  if (flags.output !== undefined) {
    if (flags.output === '') throw new UsageError('--output needs a file name');
    const format = formatFromExtension(flags.output);
    if (format !== 'spb') {
      throw new UsageError(`live --output writes the loader's stream as .spb (got "${flags.output}"); use trace --output for csv or jsonl`);
    }
  }
  const events = flags.events === true;
  const sampled = flags.sample !== undefined && flags.sample > 1;
  if (sampled && events) throw new UsageError('--sample cannot be combined with --events: event mode records every call');
  if (flags.maxOverhead !== undefined && events) throw new UsageError('--max-overhead cannot be combined with --events: event mode records every call');
  const mode: LiveMode = flags.json === true ? 'json' : flags.batch === true || !isTTY ? 'batch' : 'tui';
  const warnings: string[] = [];
  if (!events && (view === 'thread' || view === 'file')) warnings.push(`the ${view} view needs --events: it will stay empty`);
  const intervalMs = flags.interval ?? DEFAULT_INTERVAL_MS;
  const stacks = stacksRequest(flags, flags.backend);
  return {
    request: {
      target,
      follow: flags.follow ?? target.kind === 'command',
      durationSec: flags.duration ?? null,
      intervalMs,
      // our stdout is the screen or the snapshots: the command's output goes elsewhere
      commandStdout: 'stderr',
      ...(events ? { events: true } : {}),
      ...(sampled ? { samplePeriod: flags.sample } : {}),
      ...(flags.maxOverhead === undefined ? {} : { maxOverheadPct: flags.maxOverhead }),
      ...(stacks === undefined ? {} : { stacks }),
      // a long session must not fill the per-process table; a capture keeps every process
      ...(flags.output === undefined ? { evictExited: true } : {}),
      // whole snapshots every 10, only what changed in between (an --output file too: its reader merges)
      fullEvery: FULL_EVERY,
    },
    mode,
    intervalMs,
    iterations: flags.iterations ?? null,
    events,
    output: flags.output ?? null,
    view,
    sort,
    filter: flags.filter ?? '',
    includeWaits: flags.includeWaits === true,
    top: flags.top ?? (mode === 'json' ? 50 : 20),
    warnings,
    anomalies: anomalyOptionsOf(flags),
  };
}

// The target: --pid, --command, -- CMD, --cgroup, or the whole system.
function liveTarget(flags: LiveFlags, operands: readonly string[]): TraceTarget {
  const targets: TraceTarget[] = [];
  if (flags.pid !== undefined && flags.pid.length > 0) targets.push({ kind: 'pids', pids: [...new Set(flags.pid)] });
  if (flags.command !== undefined) {
    if (flags.command.trim() === '') throw new UsageError('--command needs a non-empty shell command');
    targets.push({ kind: 'command', argv: commandArgv(flags.command) });
  }
  if (operands.length > 0) targets.push({ kind: 'command', argv: [...operands] });
  if (flags.cgroup !== undefined) targets.push({ kind: 'cgroup', path: cgroupDir(flags.cgroup) });
  if (targets.length > 1) throw new UsageError('give only one of --pid, --command, -- CMD and --cgroup');
  return targets[0] ?? { kind: 'all' };
}
