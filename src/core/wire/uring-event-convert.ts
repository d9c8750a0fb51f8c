// EventBatch.io_uring, validated, into the model's IoUringRequests.
import { IoUringRequests } from '../model/io-uring-requests.js';
import type { WireIoUringRequests } from './uring-event-decode.js';

// The requests with times from the capture's start (startMonoNs) and each
// process's name from commOf; paths are filled in later (FdTable).
export function toIoUringRequests(w: WireIoUringRequests, startMonoNs: number, commOf: (pid: number) => string): IoUringRequests {
  const n = w.startLo.length;
  const out = new IoUringRequests(Math.max(1, n));
  out.length = n;
  for (let i = 0; i < n; i++) {
    // exact: hi * 2^32 is exact, and so is its difference from the start
    out.startNs[i] = w.startHi[i]! * 4294967296 - startMonoNs + w.startLo[i]!;
    // ~0 is "the file position"; other offsets beyond 2^53 are not offsets either
    const hi = w.offsetHi[i]!;
    out.offset[i] = hi >= 0x200000 ? Number.NaN : hi * 4294967296 + w.offsetLo[i]!;
    out.comm[i] = commOf(w.pid[i]!);
    out.path[i] = null;
  }
  out.durationNs.set(w.durationNs);
  out.pid.set(w.pid);
  out.tid.set(w.tid);
  out.opcode.set(w.opcode);
  out.fd.set(w.fd);
  out.fixedFile.set(w.fixedFile);
  out.len.set(w.length);
  out.result.set(w.result);
  out.punted.set(w.punted);
  out.ring.set(w.ring);
  return out;
}
