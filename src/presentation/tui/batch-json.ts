// One JSON line per snapshot (--json): the interval's figures for scripts.
import type { CgroupInfo } from '../../core/system/cgroup.js';
import type { LiveRow } from './model/live-row.js';
import { tgidOfKey, type LiveFrame } from './model/interval.js';
import { rowComparator, topRows } from './model/view-rows.js';

// A row as JSON: counts, rates and latencies (ns; null when the row had no calls).
function rowJson(r: LiveRow): Record<string, unknown> {
  const l = r.latency();
  return {
    name: r.label,
    calls: r.calls,
    errors: r.errors,
    callsPerSec: round(r.callsPerSec),
    errorsPerSec: round(r.errorsPerSec),
    totalNs: r.totalNs,
    avgNs: l.avgNs === null ? null : Math.round(l.avgNs),
    p50Ns: l.p50Ns,
    p99Ns: l.p99Ns,
    maxNs: l.maxNs,
    share: round(r.share, 4),
    ...(r.gone ? { exited: true } : {}),
  };
}

// The cgroup fields of a JSON object: path (as /proc/PID/cgroup shows it), container id, systemd service.
function cgroupJson(c: CgroupInfo | null): Record<string, unknown> | null {
  return c === null ? null : { path: c.path, containerId: c.containerId, service: c.service };
}

// The NDJSON line of a frame (with its newline); processes, threads and files
// are the top `top` by time. `cgroupOf` gives a process's cgroup (read by the
// caller: renderers do no I/O); without it process rows carry none.
export function batchJson(frame: LiveFrame, top: number, cgroupOf: ((tgid: number) => CgroupInfo | null) | null = null): string {
  const byTime = rowComparator('share');
  const list = (rows: readonly LiveRow[] | null): unknown => (rows === null ? null : topRows(rows, top, byTime).map(rowJson));
  const processes = topRows(frame.processes, top, byTime).map((r) => {
    const tgid = tgidOfKey(r.key);
    const cgroup = cgroupOf === null || tgid === null ? undefined : cgroupJson(cgroupOf(tgid));
    return { ...(tgid === null ? {} : { pid: tgid }), ...rowJson(r), ...(cgroup === undefined ? {} : { cgroup }) };
  });
  const obj = {
    seq: frame.seq,
    final: frame.final,
    backend: frame.backend,
    target: frame.targetText,
    // a --cgroup target: its path and what the path says
    cgroup: cgroupJson(frame.cgroup),
    uptimeNs: frame.uptimeNs,
    intervalNs: frame.intervalNs,
    calls: frame.calls,
    errors: frame.errors,
    callsPerSec: round(frame.callsPerSec),
    errorsPerSec: round(frame.errorsPerSec),
    tracedNs: frame.tracedNs,
    lostEvents: frame.lostEvents,
    lostEventsDelta: frame.lostEventsDelta,
    profilerCpuShare: frame.costShare === null ? null : round(frame.costShare, 6),
    syscalls: [...frame.syscalls].sort(byTime).map(rowJson),
    categories: [...frame.categories].sort(byTime).map(rowJson),
    processes,
    threads: list(frame.threads),
    files: list(frame.files),
  };
  return `${JSON.stringify(obj)}\n`;
}

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
