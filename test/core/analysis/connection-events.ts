// Synthetic connection calls for the connection rules' and renderers' tests:
// each call carries the path the fd table gives it ("socket:tcp 10.0.0.1:80").
import type { SyscallEvent } from '../../../src/core/model/events.js';
import { call } from './events.js';

// A call of process `pid` starting at `at` us lasting `dur` us.
export function sock(pid: number, at: number, dur: number, syscall: string, args: number[], ret: number, path: string | null = null, comm = 'client'): SyscallEvent {
  return call(syscall, args, ret, { pid, tid: pid, comm, startNs: at * 1_000, durationNs: dur * 1_000, path });
}

// n short blocking connections of `comm` to `peer`, one after the other from `at` us, one request each:
// socket (5 us), connect (connectUs), a 100-byte request, a 500-byte response responseUs later, close (20 us).
export function shortConnections(n: number, opts: { peer?: string; at?: number; connectUs?: number; responseUs?: number; requests?: number; comm?: string; pid?: number } = {}): SyscallEvent[] {
  const { peer = '10.0.0.1:80', connectUs = 100, responseUs = 500, requests = 1, comm = 'client', pid = 1 } = opts;
  const path = `socket:tcp ${peer}`;
  const out: SyscallEvent[] = [];
  let t = opts.at ?? 0;
  for (let k = 0; k < n; k++) {
    out.push(sock(pid, t, 5, 'socket', [2, 1, 0], 3, null, comm), sock(pid, t + 10, connectUs, 'connect', [3, 0, 16], 0, path, comm));
    t += 20 + connectUs;
    for (let r = 0; r < requests; r++) {
      out.push(sock(pid, t, 10, 'write', [3, 0, 100], 100, path, comm), sock(pid, t + 20, responseUs, 'read', [3, 0, 4096], 500, path, comm));
      t += 30 + responseUs;
    }
    out.push(sock(pid, t, 20, 'close', [3], 0, path, comm));
    t += 50;
  }
  return out;
}
