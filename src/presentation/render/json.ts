// The --json output: one stable object per run, documented here.
//
// {
//   "format": "syscall-prof/summary", "version": 1,
//   "backend": "ebpf", "arch": "x86_64",
//   "target": { "kind": "all" | "pids" | "command" | "cgroup", "follow": bool,
//               "pids"?: number[], "argv"?: string[], "path"?: string },
//   "startedAt": ISO-8601 string, "durationNs": number,
//   "stopReason": "duration" | "signal" | "target-exit" | "stdout-closed" | "parent-died" | "map-read-error" | "out-of-memory" | "unknown" | null,
//   "exit": { "pid", "kind": "exited", "code" } | { "pid", "kind": "killed", "signal" } | null,
//   "cpuNs": number | null,        // CPU time of the traced threads while traced (user + system), when known
//   "threadNs": number | null,     // the traced threads' lifetimes while traced, summed, when known
//   "threadCount": number | null,  // how many threads threadNs covers, when known
//   "runqNs": number | null,       // their time runnable, waiting for a CPU (run_delay), when known
//   "totals": { "calls", "errors", "totalNs", "distinctSyscalls", "callsPerSecond": number | null },
//   "syscalls": [ Row ],           // syscalls with calls, by totalNs descending, at most --top
//   "omittedSyscalls": number,     // rows cut by --top
//   "processes": [ { "tgid", "comm", "calls", "errors", "totalNs",
//                    "cpuNs", "lifeNs", "threads",   // its traced threads' times (as above), null when unknown
//                    "syscalls": [ Row ] } ],
//   "inFlight": [ { "tgid", "tid", "syscall", "nr", "ageNs" } ],
//   "health": { "missedStarts", "processDrops", "untrackedThreads", "lostEvents", "badSyscallNr", "inFlightTruncated", "timeDrops" },
//   "cost": { "enabled", "windowNs": number | null,   // wall time the program costs cover (sampled)
//             "memoryBytes": number | null, "programs": [ { "name", "runTimeNs", "runCount" } ] },
//   "percentileError": { "syscalls": number | null, "processes": number | null },  // worst relative error of p50/p99
//   "ioUring": null |              // null: the backend cannot see io_uring
//     { "traced": bool, "offReason": string | null,    // not traced, and why
//       "ops": [ UringRow ],        // per opcode, all processes, by totalNs descending
//       "processes": [ { "tgid", "comm", "waits", "overflows", "ops": [ UringRow ],
//                        "puntFds": [ { "fd", "punted", "totalNs" } ] } ],   // punted requests by fd
//       "inFlight": [ { "tgid", "op", "opcode", "ageNs", "punted", "fd" } ],  // oldest first
//       "drops": number }          // requests not timed (table full)
//   "sampled": { "period": number } | null  // --sample: 1 call in period timed (null: every call)
//   "tcp": [ { "tgid", "comm", "direction": "connect" | "accept", "family": "ipv4" | "ipv6",
//              "port",                      // connect: the peer's port; accept: the local (listening) port
//              "established", "handshakes", "failed", "closed", "resets", "open", "retransmits",
//              "handshakeP50Ns", "handshakeP99Ns", "handshakeMaxNs", "avgLifeNs" } ] | null
//              // the kernel's TCP figures (null: not measured); handshakes are timed for connect only
//   "stacks": see stacks-json.ts       // --stacks: where the slow calls come from (null: not taken)
// }
// UringRow = { "op", "opcode", "count", "errors", "errnos": [ { "errno", "count" } ], "totalNs",
//              "avgNs", "p50Ns", "p99Ns", "maxNs", "punted", "puntRate", "bytes" }  // submit -> complete
// Row = { "name", "nr": number | null, "count", "errors", "totalNs",
//         "avgNs", "p50Ns", "p99Ns", "maxNs",    // latency fields are integers, null when count is 0
//         "offCpuNs", "runqNs" }                 // of totalNs: off the CPU, and of that runnable
//                                                // (waiting for a CPU); null when the backend cannot tell
//         "timedCalls"?, "percentileError"?      // sampled only: calls timed; worst p50/p99 error bound
//                                                // with the 95% sampling band. count and errors are exact;
//                                                // totalNs, avgNs, offCpuNs, runqNs are estimates (timed x period),
//                                                // p50Ns/p99Ns/maxNs those of the timed calls
// All times are integer nanoseconds unless marked otherwise.
import { ioUringRows, type IoUringRow } from '../../core/analysis/io-uring-rows.js';
import type { IoUringProfile } from '../../core/model/io-uring.js';
import { processRows } from '../../core/analysis/process-rows.js';
import { syscallRows, type SyscallRow } from '../../core/analysis/syscall-rows.js';
import { tcpRows, type TcpRow } from '../../core/analysis/tcp-rows.js';
import { topRows } from '../../core/analysis/top.js';
import { totals } from '../../core/analysis/totals.js';
import type { Profile, SyscallStats } from '../../core/model/profile.js';
import { STACKS_PER_SYSCALL } from '../../core/analysis/stacks.js';
import { jsonStacks } from './stacks-json.js';

// Version of the object below; bump on incompatible changes.
export const JSON_VERSION = 1;

// The JSON report object of a capture.
export function jsonReport(profile: Profile, top: number | null): Record<string, unknown> {
  const period = profile.samplePeriod ?? 1;
  const { rows, omitted } = topRows(syscallRows(profile.syscalls, period).filter((r) => r.count > 0), top);
  const perProcess = new Map(profile.processes.map((p) => [p.tgid, p]));
  return {
    format: 'syscall-prof/summary',
    version: JSON_VERSION,
    backend: profile.backend,
    arch: profile.arch,
    target: profile.target,
    startedAt: profile.startedAt.toISOString(),
    durationNs: profile.durationNs,
    stopReason: profile.stopReason,
    exit: profile.exit,
    cpuNs: profile.cpuNs ?? null,
    threadNs: profile.threadNs ?? null,
    threadCount: profile.threadCount ?? null,
    runqNs: profile.runqNs ?? null,
    totals: totals(profile),
    syscalls: rows.map(jsonRow),
    omittedSyscalls: omitted,
    processes: processRows(profile.processes).map((p) => {
      const proc = perProcess.get(p.tgid);
      return {
        ...p,
        cpuNs: proc?.cpuNs ?? null,
        lifeNs: proc?.lifeNs ?? null,
        threads: proc?.threads ?? null,
        syscalls: syscallRows(proc?.syscalls ?? [], period).map(jsonRow),
      };
    }),
    inFlight: profile.inFlight,
    health: profile.health,
    cost: profile.cost,
    percentileError: {
      syscalls: period > 1 ? worstError(rows) : relativeError(profile.syscalls),
      processes: period > 1 ? worstError(profile.processes.flatMap((p) => syscallRows(p.syscalls, period))) : relativeError(profile.processes.flatMap((p) => p.syscalls)),
    },
    ioUring: jsonIoUring(profile.ioUring),
    sampled: period > 1 ? { period } : null,
    tcp: profile.tcp == null ? null : tcpRows(profile).map(jsonTcpRow),
    stacks: jsonStacks(profile.stacks, null, STACKS_PER_SYSCALL),
  };
}

// the io_uring part, or null when the backend cannot see io_uring
export function jsonIoUring(u: IoUringProfile | null | undefined): Record<string, unknown> | null {
  if (u == null) return null;
  const rows = (ops: IoUringProfile['ops']): IoUringRow[] => ioUringRows(ops).map(jsonUringRow);
  return {
    traced: u.traced,
    offReason: u.offReason,
    ops: rows(u.ops),
    processes: u.processes.map((p) => ({ tgid: p.tgid, comm: p.comm, waits: p.waits, overflows: p.overflows, ops: rows(p.ops), puntFds: p.puntFds, rings: p.rings ?? [] })),
    inFlight: u.inFlight,
    drops: u.drops,
    // per file and opcode, from per-request records (event-mode captures)
    ...(u.files === undefined ? {} : { files: u.files }),
    ...(u.fromRecords === true ? { fromRecords: true } : {}),
  };
}

function jsonUringRow(r: IoUringRow): IoUringRow {
  const round = (v: number | null): number | null => (v === null ? null : Math.round(v));
  return { ...r, avgNs: round(r.avgNs), p50Ns: round(r.p50Ns), p99Ns: round(r.p99Ns), maxNs: round(r.maxNs) };
}

// The JSON report as text, ending with a newline.
export function renderJson(profile: Profile, top: number | null): string {
  return `${JSON.stringify(jsonReport(profile, top), null, 2)}\n`;
}

function jsonRow(r: SyscallRow): SyscallRow {
  const round = (v: number | null): number | null => (v === null ? null : Math.round(v));
  return { ...r, avgNs: round(r.avgNs), p50Ns: round(r.p50Ns), p99Ns: round(r.p99Ns), maxNs: round(r.maxNs) };
}

// sampled: the worst bound of the rows (buckets plus the sampling band); null when none is known
function worstError(rows: readonly SyscallRow[]): number | null {
  const known = rows.map((r) => r.percentileError).filter((e): e is number => e !== null && e !== undefined);
  return known.length === 0 ? null : Math.max(...known);
}

function jsonTcpRow(r: TcpRow): TcpRow {
  const round = (v: number | null): number | null => (v === null ? null : Math.round(v));
  return { ...r, handshakeP50Ns: round(r.handshakeP50Ns), handshakeP99Ns: round(r.handshakeP99Ns), avgLifeNs: round(r.avgLifeNs) };
}

function relativeError(stats: readonly SyscallStats[]): number | null {
  const subBits = stats[0]?.histogram.layout.subBits;
  return subBits === undefined ? null : 2 ** -subBits;
}
