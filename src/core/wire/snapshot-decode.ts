// Snapshot frames in one pass: the per-syscall stats (the bulk of every
// snapshot) with the hand-written decoder, the small messages with the
// generated ones, the scalars with the varint reader.
import type protobuf from 'protobufjs/minimal.js';
import { syscallprof } from './proto.js';
import { numberReader } from './number-reader.js';
import { decodeSyscallStats } from './stats-decode.js';
import { enumOfName, STOP_REASONS } from './wire-enums.js';
import { check, hi, LEN, lo, readVarint, skip, unsigned, VARINT } from './wire-varint.js';

// Snapshot fields (proto/syscall_prof.proto).
const SEQ = 1;
const MONO_NS = 2;
const FINAL = 3;
const SYSCALLS = 4;
const PROCESSES = 5;
const PROCS = 6;
const IN_FLIGHT = 7;
const HEALTH = 8;
const COST = 9;
const EXIT = 10;
// wire version 1: stop_reason as a string (now reserved)
const V1_STOP_REASON = 11;
const COST_WINDOW_NS = 12;
const ERRNOS = 13;
const STOP_REASON = 14;
const TIMES = 15;
const IO_URING_OPS = 20;
const IO_URING_ERRNOS = 21;
const IO_URING_PROCS = 22;
const IO_URING_IN_FLIGHT = 23;
const IO_URING_PUNT_FDS = 24;
const IO_URING_RINGS = 25;
const TCP = 50;
const STACKS = 70;
const STACK_HEALTH = 71;
const STACK_DEFS = 72;
const DELTA = 80;
const GONE_TGIDS = 81;
const SAMPLE_PERIOD = 85;

const utf8 = new TextDecoder();

// Decodes the Snapshot message in buf[start, end) as the generated decoder would
// (64-bit values as numbers; unknown fields skipped; the last scalar wins);
// throws on malformed bytes.
export function decodeSnapshot(buf: Uint8Array, start: number, end: number): syscallprof.Snapshot {
  const s = new syscallprof.Snapshot();
  // for the generated decoders, made at the first small message
  let reader: protobuf.Reader | null = null;
  const at = (p: number): protobuf.Reader => {
    reader ??= numberReader(buf);
    reader.pos = p;
    return reader;
  };
  let p = start;
  while (p < end) {
    p = readVarint(buf, p, end);
    const field = (lo >>> 3) | (hi << 29);
    const wt = lo & 7;
    if (wt === VARINT && (field === SEQ || field === MONO_NS || field === FINAL || field === COST_WINDOW_NS || field === STOP_REASON || field === SAMPLE_PERIOD || field === DELTA || field === GONE_TGIDS)) {
      p = readVarint(buf, p, end);
      if (field === SEQ) s.seq = unsigned();
      else if (field === DELTA) s.delta = lo !== 0;
      else if (field === GONE_TGIDS) s.goneTgids.push(lo >>> 0);
      else if (field === SAMPLE_PERIOD) s.samplePeriod = lo >>> 0;
      else if (field === MONO_NS) s.monoNs = unsigned();
      else if (field === FINAL) s.final = lo !== 0;
      else if (field === COST_WINDOW_NS) s.costWindowNs = unsigned();
      else s.stopReason = lo;
    } else if (wt === LEN) {
      p = readVarint(buf, p, end);
      const to = check(p + (lo >>> 0), end);
      const len = to - p;
      switch (field) {
        case SYSCALLS:
          s.syscalls.push(decodeSyscallStats(buf, p, to));
          break;
        case PROCESSES:
          s.processes.push(decodeSyscallStats(buf, p, to));
          break;
        case PROCS:
          s.procs.push(syscallprof.Process.decode(at(p), len));
          break;
        case IN_FLIGHT:
          s.inFlight.push(syscallprof.InFlight.decode(at(p), len));
          break;
        case HEALTH:
          s.health = syscallprof.Health.decode(at(p), len);
          break;
        case COST:
          s.cost.push(syscallprof.ProgramCost.decode(at(p), len));
          break;
        case EXIT:
          s.exit = syscallprof.TargetExit.decode(at(p), len);
          break;
        case ERRNOS:
          s.errnos.push(syscallprof.ErrnoCount.decode(at(p), len));
          break;
        case TIMES:
          s.times.push(syscallprof.ProcessTime.decode(at(p), len));
          break;
        case IO_URING_OPS:
          s.ioUringOps.push(syscallprof.IoUringOpStats.decode(at(p), len));
          break;
        case IO_URING_ERRNOS:
          s.ioUringErrnos.push(syscallprof.IoUringErrno.decode(at(p), len));
          break;
        case IO_URING_PROCS:
          s.ioUringProcs.push(syscallprof.IoUringProcess.decode(at(p), len));
          break;
        case IO_URING_IN_FLIGHT:
          s.ioUringInFlight.push(syscallprof.IoUringInFlight.decode(at(p), len));
          break;
        case IO_URING_PUNT_FDS:
          s.ioUringPuntFds.push(syscallprof.IoUringPuntFd.decode(at(p), len));
          break;
        case IO_URING_RINGS:
          s.ioUringRings.push(syscallprof.IoUringRing.decode(at(p), len));
          break;
        case TCP:
          s.tcp.push(syscallprof.TcpStats.decode(at(p), len));
          break;
        case STACKS:
          s.stacks.push(syscallprof.StackStats.decode(at(p), len));
          break;
        case STACK_HEALTH:
          s.stackHealth = syscallprof.StackHealth.decode(at(p), len);
          break;
        case STACK_DEFS:
          s.stackDefs.push(syscallprof.StackDef.decode(at(p), len));
          break;
        case GONE_TGIDS:
          // packed
          for (let q = p; q < to; ) {
            q = readVarint(buf, q, to);
            s.goneTgids.push(lo >>> 0);
          }
          break;
        case V1_STOP_REASON:
          s.stopReason = enumOfName(STOP_REASONS, utf8.decode(buf.subarray(p, to)));
          break;
        default:
        // an unknown field: skipped
      }
      p = to;
    } else {
      p = skip(buf, p, end, wt);
    }
  }
  return s;
}
