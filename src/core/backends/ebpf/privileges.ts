// Whether this process may load BPF programs: root, or CAP_BPF with CAP_PERFMON.
import { readFileSync } from 'node:fs';
import { PermissionError } from '../../errors.js';

// Capability bit numbers from linux/capability.h.
export const CAP_SYS_ADMIN = 21;
export const CAP_PERFMON = 38;
export const CAP_BPF = 39;

// The one-line refusal when privileges are missing.
export const NEED_PRIVILEGES = 'tracing with eBPF needs root (or CAP_BPF and CAP_PERFMON): run it with sudo';

// The effective capability mask from /proc/<pid>/status text, or null if absent.
export function parseCapEff(statusText: string): bigint | null {
  const m = /^CapEff:\s*([0-9a-fA-F]+)\s*$/m.exec(statusText);
  return m === null ? null : BigInt(`0x${m[1]}`);
}

// Whether a mask holds a capability.
export function hasCap(mask: bigint, cap: number): boolean {
  return ((mask >> BigInt(cap)) & 1n) === 1n;
}

// What decides the check: effective uid and capability mask.
export interface Credentials {
  readonly euid: number;
  readonly capEff: bigint | null;
}

// This process's credentials.
export function currentCredentials(): Credentials {
  let capEff: bigint | null = null;
  try {
    capEff = parseCapEff(readFileSync('/proc/self/status', 'utf8'));
  } catch {
    // no procfs: only the uid can tell
  }
  return { euid: process.geteuid?.() ?? -1, capEff };
}

// Whether these credentials are enough to trace with eBPF (CAP_SYS_ADMIN implies the others).
export function canTraceWithEbpf(c: Credentials): boolean {
  if (c.euid === 0) return true;
  if (c.capEff === null) return false;
  return hasCap(c.capEff, CAP_SYS_ADMIN) || (hasCap(c.capEff, CAP_BPF) && hasCap(c.capEff, CAP_PERFMON));
}

// Throws a PermissionError unless this process can trace with eBPF.
export function assertCanTraceWithEbpf(c: Credentials = currentCredentials()): void {
  if (!canTraceWithEbpf(c)) throw new PermissionError(NEED_PRIVILEGES);
}
