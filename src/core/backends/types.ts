// What every tracing backend accepts and returns.
import type { Profile } from '../model/profile.js';

// What to trace, independent of how.
export type TraceTarget =
  | { readonly kind: 'all' }
  | { readonly kind: 'pids'; readonly pids: readonly number[] }
  | { readonly kind: 'command'; readonly argv: readonly string[] }
  | { readonly kind: 'cgroup'; readonly path: string };

// One tracing run as the user asked for it.
export interface TraceRequest {
  readonly target: TraceTarget;
  // also trace children forked by traced processes
  readonly follow: boolean;
  // stop after this many seconds; null: until the target exits or Ctrl-C
  readonly durationSec: number | null;
  // snapshot interval; null: the backend's default
  readonly intervalMs: number | null;
  // where a traced command's stdout goes: our stdout, or our stderr (keeps our stdout clean)
  readonly commandStdout: 'inherit' | 'stderr';
  // a traced command reads our stdin ('inherit', as under strace), or nothing (absent: the live view and the agent keep the terminal)
  readonly commandStdin?: 'inherit';
}

// Receives each intermediate and final snapshot while tracing runs.
export type SnapshotListener = (profile: Profile) => void;

// How the caller follows and stops a trace.
export interface TraceOptions {
  // receives the snapshots (backends that stream them: ebpf)
  readonly onSnapshot?: SnapshotListener;
  // aborting stops the trace cleanly, as the target's exit or --duration would:
  // the backend still returns the final Profile (stopReason 'signal')
  readonly signal?: AbortSignal;
}

// A tracing backend.
export interface Backend {
  readonly name: string;
  // Traces until done (the target exits, the duration passes or the signal aborts) and returns the final Profile.
  trace(request: TraceRequest, options?: TraceOptions): Promise<Profile>;
}
