// Turning `agent` options into a trace request and exporter settings; conflicts are UsageErrors.
import { FULL_EVERY, type EbpfTraceRequest } from '../core/backends/ebpf/request.js';
import type { TraceTarget } from '../core/backends/types.js';
import { UsageError } from '../core/errors.js';
import { wantsExport } from '../presentation/export/settings.js';
import type { ExportFlags } from './export-options.js';
import type { AnomalyOptions } from '../core/analysis/anomaly.js';
import { anomalyCaptureOf, anomalyOptionsOf, type AnomalyCapturePlan, type AnomalyFlags } from './anomaly-options.js';
import { stacksRequest, type StackFlags } from './stack-options.js';

// `agent` options as commander parses them.
export interface AgentFlags extends ExportFlags, AnomalyFlags, StackFlags {
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
  // null with --no-anomalies
  readonly anomalies: AnomalyOptions | null;
  // --anomaly-log FILE, or null: the agent's stderr
  readonly anomalyLog: string | null;
  // --on-anomaly-capture: event mode runs beside the aggregates
  readonly capture: AnomalyCapturePlan | null;
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
  const stacks = stacksRequest(flags, 'ebpf');
  if (target.kind === 'all' && flags.follow !== undefined) throw new UsageError('--follow and --no-follow do not apply to the whole system');
  const anomalies = anomalyOptionsOf(flags);
  const capture = anomalyCaptureOf(flags);
  const sampled = flags.sample !== undefined && flags.sample > 1;
  if (capture !== null && sampled) throw new UsageError('--on-anomaly-capture records calls in event mode, which times every call: drop --sample');
  if (capture !== null && flags.maxOverhead !== undefined) throw new UsageError('--on-anomaly-capture records calls in event mode, which times every call: drop --max-overhead');
  if (flags.anomalyLog !== undefined && anomalies === null) throw new UsageError('--anomaly-log needs anomaly detection: drop --no-anomalies');
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
      ...(sampled ? { samplePeriod: flags.sample } : {}),
      ...(flags.maxOverhead === undefined ? {} : { maxOverheadPct: flags.maxOverhead }),
      // the capture window's calls: the slow ones only, filtered in the kernel
      ...(capture === null ? {} : { events: true, ...(capture.minDurationNs > 0 ? { minDurationNs: capture.minDurationNs } : {}) }),
      ...(stacks === undefined ? {} : { stacks }),
    },
    anomalies,
    anomalyLog: flags.anomalyLog ?? null,
    capture,
    exports: {
      ...(flags.prometheus === undefined ? {} : { prometheus: flags.prometheus }),
      ...(flags.otlp === undefined ? {} : { otlp: flags.otlp }),
      ...(flags.otlpInterval === undefined ? {} : { otlpInterval: flags.otlpInterval }),
      ...(flags.labels === undefined ? {} : { labels: flags.labels }),
      ...(flags.maxSeries === undefined ? {} : { maxSeries: flags.maxSeries }),
    },
  };
}
