// Choosing a tracing backend by name; "auto" picks eBPF where it can run, else strace.
import { UsageError } from '../errors.js';
import type { Profile } from '../model/profile.js';
import { runBpftrace } from './bpftrace/run.js';
import { ebpfBackend } from './ebpf/backend.js';
import { runEbpfChecks, type CheckResult } from './ebpf/doctor-checks.js';
import { runPerfTrace } from './perf/run.js';
import { runStrace } from './strace/run.js';
import type { Backend, TraceOptions, TraceRequest } from './types.js';

// Names --backend accepts.
export const BACKEND_NAMES = ['auto', 'ebpf', 'strace', 'perf', 'bpftrace'] as const;

// A name --backend accepts.
export type BackendName = (typeof BACKEND_NAMES)[number];

// What each backend costs the traced program, for the one-line notice (measured by make bench).
const EXPECTED_COST: Readonly<Record<Exclude<BackendName, 'auto'>, string>> = {
  ebpf: 'about 250 ns added per syscall',
  strace: 'syscall-heavy code runs 100-650x slower (ptrace)',
  perf: 'syscall-heavy code runs about 150x slower',
  bpftrace: 'syscall-heavy code runs several times slower (a line per call)',
};

// The backend for a name. `note` receives one line saying which backend "auto"
// chose, why, and what it costs.
export function selectBackend(name: BackendName | string, note: (line: string) => void = () => {}, checks: () => readonly CheckResult[] = runEbpfChecks): Backend {
  switch (name) {
    case 'ebpf':
      return ebpfBackend();
    case 'strace':
      return { name, trace: traceWithStrace };
    case 'perf':
      return { name, trace: async (request, options = {}) => (await runPerfTrace(request, {}, options.signal)).profile };
    case 'bpftrace':
      return { name, trace: async (request, options = {}) => (await runBpftrace(request, {}, options.signal)).profile };
    case 'auto': {
      const failed = checks().find((c) => !c.ok);
      if (failed === undefined) {
        note(`backend ebpf (root, BTF and the loader are here): ${EXPECTED_COST.ebpf}`);
        return ebpfBackend();
      }
      note(`backend strace, because eBPF cannot run here (${failed.name}: ${failed.detail}): ${EXPECTED_COST.strace}`);
      return { name: 'strace', trace: traceWithStrace };
    }
    default:
      throw new UsageError(`unknown backend "${name}" (choose from ${BACKEND_NAMES.join(', ')})`);
  }
}

// Runs strace for the request and returns its profile once the target is done (or the signal aborts).
async function traceWithStrace(request: TraceRequest, options: TraceOptions = {}): Promise<Profile> {
  const run = await runStrace({
    target: request.target,
    follow: request.follow,
    durationSec: request.durationSec,
    commandStdout: request.commandStdout,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  // the events are parsed as they are read; the profile is complete after the last
  for await (const batch of run.batches) void batch;
  return run.final().profile;
}
