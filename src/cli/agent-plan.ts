// Turning `agent` options into a trace request and exporter settings; conflicts are UsageErrors.
import { FULL_EVERY, type EbpfTraceRequest } from '../core/backends/ebpf/request.js';
import type { TraceTarget } from '../core/backends/types.js';
import { UsageError } from '../core/errors.js';
import { wantsExport } from '../presentation/export/settings.js';
import type { ExportFlags } from './export-options.js';

// `agent` options as commander parses them.
export interface AgentFlags extends ExportFlags {
  readonly pid?: number[];
  readonly cgroup?: string;
  readonly all?: boolean;
  readonly follow?: boolean;
  readonly interval?: number;
  readonly duration?: number;
  // --sample N: time 1 call in N
  readonly sample?: number;
  // --max-overhead PCT: raise N at run time to keep the BPF cost under PCT% of one CPU
  readonly maxOverhead?: number;
}

// A validated `agent` invocation.
export interface AgentPlan {
  readonly request: EbpfTraceRequest;
  readonly exports: ExportFlags;
}

// Default snapshot interval of the agent, ms.
export const AGENT_INTERVAL_MS = 1000;

// Checks the flags: at least one exporter, at most one target (default: the whole system).
export function planAgent(flags: AgentFlags): AgentPlan {
  if (!wantsExport(flags)) throw new UsageError('agent needs somewhere to send metrics: --prometheus HOST:PORT and/or --otlp URL');
  const targets: TraceTarget[] = [];
  if (flags.pid !== undefined && flags.pid.length > 0) targets.push({ kind: 'pids', pids: [...new Set(flags.pid)] });
  if (flags.cgroup !== undefined) {
    if (flags.cgroup.trim() === '') throw new UsageError('--cgroup needs a cgroup v2 directory');
    targets.push({ kind: 'cgroup', path: flags.cgroup });
  }
  if (flags.all === true || targets.length === 0) targets.push({ kind: 'all' });
  if (targets.length > 1) throw new UsageError('give only one of --pid, --cgroup and --all');
  const target = targets[0]!;
  if (target.kind === 'all' && flags.follow !== undefined) throw new UsageError('--follow and --no-follow do not apply to the whole system');
  return {
    request: {
      target,
      follow: flags.follow ?? false,
      durationSec: flags.duration ?? null,
      intervalMs: flags.interval ?? AGENT_INTERVAL_MS,
      commandStdout: 'stderr',
      // unattended for days: exited processes leave the kernel's table (their counts stay in the series)
      evictExited: true,
      // whole snapshots every 10, only what changed in between
      fullEvery: FULL_EVERY,
      ...(flags.sample !== undefined && flags.sample > 1 ? { samplePeriod: flags.sample } : {}),
      ...(flags.maxOverhead === undefined ? {} : { maxOverheadPct: flags.maxOverhead }),
    },
    exports: {
      ...(flags.prometheus === undefined ? {} : { prometheus: flags.prometheus }),
      ...(flags.otlp === undefined ? {} : { otlp: flags.otlp }),
      ...(flags.otlpInterval === undefined ? {} : { otlpInterval: flags.otlpInterval }),
      ...(flags.labels === undefined ? {} : { labels: flags.labels }),
      ...(flags.maxSeries === undefined ? {} : { maxSeries: flags.maxSeries }),
    },
  };
}
