// Short human descriptions of model values (target, exit status, stop reason).
import { constants } from 'node:os';
import type { Profile, StopReason, TargetExit } from '../../core/model/profile.js';

// "SIGKILL" for 9, "signal 99" when unknown.
export function signalName(signal: number): string {
  const entry = Object.entries(constants.signals).find(([, n]) => n === signal);
  return entry === undefined ? `signal ${signal}` : entry[0];
}

// How a traced command ended: "exited with code 0", "killed by SIGINT (signal 2)".
export function describeExit(exit: TargetExit): string {
  return exit.kind === 'exited'
    ? `exited with code ${exit.code}`
    : `killed by ${signalName(exit.signal)} (signal ${exit.signal})`;
}

// Why tracing stopped, in words.
export function describeStop(reason: StopReason): string {
  switch (reason) {
    case 'duration':
      return 'duration elapsed';
    case 'signal':
      return 'interrupted';
    case 'target-exit':
      return 'target exited';
    case 'stdout-closed':
      return 'output closed';
    case 'parent-died':
      return 'controller died';
    case 'map-read-error':
      return 'the loader could not read a BPF map';
    case 'out-of-memory':
      return 'the loader ran out of memory';
    default:
      return 'unknown reason';
  }
}

// An argv as a shell would need it typed: sh -c 'sleep 1'.
export function shellQuote(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

// "name (PID n)" for a pid, with the comm from the capture when known.
export function describeProcess(profile: Profile, pid: number): string {
  const comm = profile.processes.find((p) => p.tgid === pid)?.comm ?? '';
  return comm === '' ? `PID ${pid}` : `${comm} (PID ${pid})`;
}

// The label and value of the target line: ["Process", "db (PID 12)"].
export function describeTarget(profile: Profile): [string, string] {
  const t = profile.target;
  const children = t.follow && t.kind !== 'all' ? ', with children' : '';
  switch (t.kind) {
    case 'all':
      return ['Target', 'whole system'];
    case 'pids':
      return [t.pids.length === 1 ? 'Process' : 'Processes', t.pids.map((pid) => describeProcess(profile, pid)).join(', ') + children];
    case 'command': {
      const pid = profile.exit?.pid;
      return ['Command', `${shellQuote(t.argv)}${pid === undefined ? '' : ` (PID ${pid})`}${children}`];
    }
    case 'cgroup':
      return ['Cgroup', t.path + children];
  }
}
