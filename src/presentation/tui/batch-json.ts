// One JSON line per snapshot (--json): the interval's figures for scripts.
// Each list holds the working rows, by working time, then the waiting rows
// (`waiting: true`, `share: null`); with waits included (--include-waits) one
// ranking by all time, and `share` of all traced time.
import type { CgroupInfo } from '../../core/system/cgroup.js';
import type { LiveRow } from './model/live-row.js';
import { tgidOfKey, type LiveFrame } from './model/interval.js';
import { rowComparator, topRows } from './model/view-rows.js';
import { timeShare } from './model/waits.js';

// A row as JSON: counts, rates and latencies (ns; null when the row had no
// calls), its waiting time, whether it is a waiting row, and its %TIME share.
function rowJson(r: LiveRow, includeWaits: boolean): Record<string, unknown> {
  const l = r.latency();
  const share = timeShare(r, includeWaits);
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
    waitNs: r.waitNs,
    waiting: r.waiting,
    share: share === null ? null : round(share, 4),
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
// includeWaits: waiting calls counted in `share` and ranked with the rest.
export function batchJson(frame: LiveFrame, top: number, cgroupOf: ((tgid: number) => CgroupInfo | null) | null = null, includeWaits = false): string {
  const byTime = rowComparator('share', includeWaits);
  const json = (r: LiveRow): Record<string, unknown> => rowJson(r, includeWaits);
  const list = (rows: readonly LiveRow[] | null): unknown => (rows === null ? null : topRows(rows, top, byTime).map(json));
  const processes = topRows(frame.processes, top, byTime).map((r) => {
    const tgid = tgidOfKey(r.key);
    const cgroup = cgroupOf === null || tgid === null ? undefined : cgroupJson(cgroupOf(tgid));
    return { ...(tgid === null ? {} : { pid: tgid }), ...json(r), ...(cgroup === undefined ? {} : { cgroup }) };
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
    // of tracedNs, the time in waiting calls; `share` is over tracedNs - waitNs unless includeWaits
    waitNs: frame.waitNs,
    includeWaits,
    lostEvents: frame.lostEvents,
    lostEventsDelta: frame.lostEventsDelta,
    profilerCpuShare: frame.costShare === null ? null : round(frame.costShare, 6),
    // 1 call in this many was timed (--sample, --max-overhead): latencies are estimates; counts are exact
    samplePeriod: frame.samplePeriod ?? 1,
    syscalls: [...frame.syscalls].sort(byTime).map(json),
    categories: [...frame.categories].sort(byTime).map(json),
    processes,
    threads: list(frame.threads),
    files: list(frame.files),
    // io_uring requests per opcode in the interval (share: of their time); null when not traced
    ioUring: list(frame.ioUring),
  };
  return `${JSON.stringify(obj)}\n`;
}

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
