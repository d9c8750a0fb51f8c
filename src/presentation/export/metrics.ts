// The exported metric families: one pure description both the Prometheus text
// and the OTLP push are rendered from.
import type { ExportAccumulator } from './accumulator.js';
import { callsOf, timedOf } from './folded.js';
import { TCP_OUTCOMES } from './tcp-series.js';

// A labelled number (counter or gauge sample).
export interface NumberPoint {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

// A labelled histogram: per-bucket counts over BOUNDS_SECONDS (+Inf last), sum in seconds.
export interface HistogramPoint {
  readonly labels: Readonly<Record<string, string>>;
  readonly buckets: readonly number[];
  readonly sum: number;
  readonly count: number;
}

// One metric family (the full sample name for counters ends in _total).
export type MetricFamily =
  | { readonly type: 'counter' | 'gauge'; readonly name: string; readonly help: string; readonly unit: string; readonly points: readonly NumberPoint[] }
  | { readonly type: 'histogram'; readonly name: string; readonly help: string; readonly unit: string; readonly points: readonly HistogramPoint[] };

// Extra counters kept outside the accumulator (export failures per exporter).
export interface ExtraCounters {
  readonly exportFailures: Readonly<Record<string, number>>;
}

const NO_LABELS: Readonly<Record<string, string>> = {};

// The families for the accumulator's current state.
export function buildFamilies(acc: ExportAccumulator, extra: ExtraCounters = { exportFailures: {} }): MetricFamily[] {
  const series = acc.store.series();
  const families: MetricFamily[] = [
    {
      type: 'histogram',
      name: 'syscall_prof_syscall_duration_seconds',
      help:
        'Syscall latency, entry to return, timed in the kernel (buckets: powers of two of nanoseconds, 256 ns to 17.2 s); of the timed calls only, about 1 in syscall_prof_sample_period.',
      unit: 's',
      points: series.map((s) => ({ labels: s.labels, buckets: s.values.buckets, sum: s.values.sumNs / 1e9, count: timedOf(s.values) })),
    },
    counter('syscall_prof_syscalls_total', 'Syscalls completed (every call, also when sampled).', '1', series.map((s) => ({ labels: s.labels, value: callsOf(s.values) }))),
    counter(
      'syscall_prof_syscall_errors_total',
      'Syscalls that returned an error (-errno); by errno in syscall_prof_syscall_errno_total.',
      '1',
      series.map((s) => ({ labels: s.labels, value: s.values.errors })),
    ),
  ];
  const offCpu = series.filter((s) => s.values.offCpuNs !== null);
  if (offCpu.length > 0) {
    families.push(
      counter(
        'syscall_prof_syscall_off_cpu_seconds_total',
        'Of the syscall time (of the timed calls, see syscall_prof_sample_period), time spent off the CPU (blocked or waiting to run).',
        's',
        offCpu.map((s) => ({ labels: s.labels, value: s.values.offCpuNs! / 1e9 })),
      ),
    );
  }
  const runq = series.filter((s) => s.values.runqNs !== null);
  if (runq.length > 0) {
    families.push(
      counter(
        'syscall_prof_syscall_runq_seconds_total',
        'Of the off-CPU syscall time, time spent runnable, waiting for a CPU.',
        's',
        runq.map((s) => ({ labels: s.labels, value: s.values.runqNs! / 1e9 })),
      ),
    );
  }
  const t = acc.totals;
  families.push(
    counter('syscall_prof_lost_events_total', 'Per-call records the kernel ring buffer had no room for (event mode).', '1', [one(t.lostEvents)]),
    counter('syscall_prof_process_drops_total', 'Calls counted in the totals but not attributed to a process (per-process table full).', '1', [one(t.processDrops)]),
    counter('syscall_prof_missed_starts_total', 'Returns seen whose entry predates tracing (counted, not timed).', '1', [one(t.missedStarts)]),
    counter(
      'syscall_prof_bpf_cpu_seconds_total',
      "CPU time of the profiler's BPF programs, estimated from the kernel's sampled run-time statistics.",
      's',
      [one(t.bpfCpuNs / 1e9)],
    ),
    counter('syscall_prof_label_folds_total', 'Label sets (counted once per process and syscall) folded into "other" by --max-series.', '1', [one(t.labelFolds)]),
    counter('syscall_prof_snapshots_total', 'Snapshots received from the tracer.', '1', [one(t.snapshots)]),
  );
  if (t.targetCpuNs !== null) {
    families.push(counter('syscall_prof_target_cpu_seconds_total', 'CPU time (user + system) of the traced processes.', 's', [one(t.targetCpuNs / 1e9)]));
  }
  const failures = Object.entries(extra.exportFailures);
  if (failures.length > 0) {
    families.push(
      counter(
        'syscall_prof_export_failures_total',
        'Metric pushes that failed (endpoint unreachable or refusing).',
        '1',
        failures.map(([exporter, value]) => ({ labels: { exporter }, value })),
      ),
    );
  }
  const g = acc.gauges;
  if (g.bpfMemoryBytes !== null) families.push(gauge('syscall_prof_bpf_memory_bytes', 'Memory of the BPF maps the profiler created.', 'By', [one(g.bpfMemoryBytes)]));
  const errnos = acc.errnoSeries;
  if (errnos.length > 0) {
    families.push(
      counter(
        'syscall_prof_syscall_errno_total',
        'Syscalls that failed, by errno (all traced processes together).',
        '1',
        errnos.map((e) => ({ labels: { syscall: e.syscall, errno: e.errno }, value: e.count })),
      ),
    );
  }
  const uring = acc.ioUringSeries;
  if (uring.length > 0) {
    const labels = (op: string): Readonly<Record<string, string>> => ({ op });
    families.push(
      {
        type: 'histogram',
        name: 'syscall_prof_io_uring_duration_seconds',
        help: 'io_uring request latency, submission to completion, timed in the kernel, by opcode (buckets as for syscalls).',
        unit: 's',
        points: uring.map((u) => ({ labels: labels(u.op), buckets: u.folded.buckets, sum: u.folded.sumNs / 1e9, count: callsOf(u.folded) })),
      },
      counter('syscall_prof_io_uring_requests_total', 'io_uring requests completed, by opcode.', '1', uring.map((u) => ({ labels: labels(u.op), value: callsOf(u.folded) }))),
      counter('syscall_prof_io_uring_errors_total', 'io_uring requests that completed with an error, by opcode.', '1', uring.map((u) => ({ labels: labels(u.op), value: u.folded.errors }))),
      counter('syscall_prof_io_uring_punted_total', 'io_uring requests handed to an io-wq worker thread, by opcode.', '1', uring.map((u) => ({ labels: labels(u.op), value: u.punted }))),
    );
  }
  families.push(
    gauge('syscall_prof_sample_period', 'The kernel times 1 syscall in this many (1: every call); counts and errors are exact either way.', '1', [one(g.samplePeriod)]),
  );
  families.push(...tcpFamilies(acc));
  families.push(...stackFamilies(acc));
  families.push(gauge('syscall_prof_traced_processes', 'Processes in the latest snapshot.', '1', [one(g.liveProcesses)]));
  families.push(gauge('syscall_prof_series', 'Syscall label sets exported (including "other").', '1', [one(acc.store.size)]));
  return families;
}

// The TCP families, when the tracer measures TCP: handshake histogram (connect only), connections by outcome, retransmits.
// --stacks: what happened to the slow calls (none without stacks)
function stackFamilies(acc: ExportAccumulator): MetricFamily[] {
  if (!acc.stacks.measured) return [];
  const c = acc.stacks.counts;
  return [
    counter('syscall_prof_stack_slow_calls_total', 'Calls over the --stacks threshold (slow calls).', '1', [one(c.slowCalls)]),
    counter('syscall_prof_stacks_taken_total', 'Slow calls whose user stack was taken.', '1', [one(c.taken)]),
    counter('syscall_prof_stacks_rate_limited_total', 'Slow calls whose stack was skipped by the per-CPU rate limit (--stacks-rate).', '1', [one(c.rateLimited)]),
    counter('syscall_prof_stacks_lost_total', 'Stacks taken that the ring buffer had no room for.', '1', [one(c.lost)]),
    counter('syscall_prof_stacks_unwound_total', 'Stacks taken, by how far they unwound: to the outermost frame (full), part way (partial), or not past the syscall site (none).', '1', [
      { labels: { completeness: 'full' }, value: c.unwoundFull },
      { labels: { completeness: 'partial' }, value: c.unwoundPartial },
      { labels: { completeness: 'none' }, value: c.unwoundNone },
    ]),
  ];
}

function tcpFamilies(acc: ExportAccumulator): MetricFamily[] {
  if (!acc.tcp.measured) return [];
  const series = acc.tcp.values();
  const connects = series.filter((s) => s.labels.direction === 'connect');
  return [
    {
      type: 'histogram',
      name: 'syscall_prof_connect_duration_seconds',
      help: 'TCP handshake time of connections the traced processes opened (SYN sent to established), timed in the kernel (buckets as for syscalls).',
      unit: 's',
      points: connects.map((s) => {
        let count = 0;
        for (const c of s.handshakeBuckets) count += c;
        return { labels: { peer: s.labels.peer }, buckets: s.handshakeBuckets, sum: s.handshakeSumNs / 1e9, count };
      }),
    },
    counter(
      'syscall_prof_connections_established_total',
      'TCP connections the traced processes opened (direction connect) or accepted (direction accept).',
      '1',
      series.map((s) => ({ labels: s.labels, value: s.established })),
    ),
    counter(
      'syscall_prof_connections_total',
      'TCP connections of the traced processes that ended: closed (FIN), reset (reset or abort), failed (the handshake: refused, unreachable, timed out).',
      '1',
      series.flatMap((s) => TCP_OUTCOMES.map((outcome) => ({ labels: { ...s.labels, outcome }, value: s[outcome] }))),
    ),
    counter('syscall_prof_tcp_retransmits_total', "TCP segments retransmitted on the traced processes' connections.", '1', series.map((s) => ({ labels: s.labels, value: s.retransmits }))),
  ];
}

function counter(name: string, help: string, unit: string, points: NumberPoint[]): MetricFamily {
  return { type: 'counter', name, help, unit, points };
}

function gauge(name: string, help: string, unit: string, points: NumberPoint[]): MetricFamily {
  return { type: 'gauge', name, help, unit, points };
}

function one(value: number): NumberPoint {
  return { labels: NO_LABELS, value };
}
