// Conversion of validated EventBatch frames into model event batches. Stateful:
// it keeps each process's command name from the process events (NAME, FORK, EXEC)
// for the rows that follow.
import { ARG_COUNT, EventBatch } from '../model/events.js';
import { syscallName } from '../model/syscall-names.js';
import type { CallExtras, EventChunk, ProcessChange } from './event-types.js';
import { syscallprof } from './proto.js';
import { archOf } from './convert.js';
import { toIoUringRequests } from './uring-event-convert.js';
import { addStackDefs } from './stack-convert.js';
import type { StackTable } from '../model/stacks.js';
import type { WireEventBatch, WireHeader } from './wire.js';

const { PATH, SOCKADDR, PIPE_FDS } = syscallprof.EventData.Kind;
const ProcessKind = syscallprof.ProcessEvent.Kind;

// ProcessEvent.Kind -> ProcessChange kind
const PROCESS_KINDS = {
  [ProcessKind.FORK]: 'fork',
  [ProcessKind.EXEC]: 'exec',
  [ProcessKind.EXIT]: 'exit',
  [ProcessKind.NAME]: 'name',
} as const;

const utf8 = new TextDecoder();

// Converts the event batches of one stream, in order.
export class EventConverter {
  private readonly comms = new Map<number, string>();
  // processes that exited in this batch and the one before: their names stay one
  // more batch for rows that end after the exit event (other threads' last calls)
  private exited = new Set<number>();
  private exitedBefore = new Set<number>();
  // syscall names by number, filled lazily
  private readonly names: string[] = [];
  private readonly startMonoNs: number;
  private readonly arch: string;
  private readonly withStacks: boolean;

  // `stacks`: the stream's table of stack definitions, which this adds the batches' to
  constructor(
    header: WireHeader,
    private readonly stacks: StackTable = new Map(),
  ) {
    this.startMonoNs = header.startMonoNs;
    this.arch = archOf(header);
    this.withStacks = header.stacks;
  }

  // The command name last seen for a process, or ''.
  commOf(pid: number): string {
    return this.comms.get(pid) ?? '';
  }

  // The model form of a batch that passed eventBatchProblem().
  convert(w: WireEventBatch): EventChunk {
    const n = w.startLo.length;
    const batch = new EventBatch(n);
    batch.length = n;
    const base = this.startMonoNs;
    for (let i = 0; i < n; i++) {
      // exact: hi * 2^32 is exact, and so is its difference from the start
      batch.startNs[i] = w.startHi[i]! * 4294967296 - base + w.startLo[i]!;
    }
    batch.durationNs.set(w.durationNs);
    batch.pid.set(w.pid);
    batch.tid.set(w.tid);
    batch.nr.set(w.nr);
    batch.ret.set(w.ret);
    for (let k = 0; k < ARG_COUNT; k++) {
      batch.argLo[k]!.set(w.argLo[k]!);
      batch.argHi[k]!.set(w.argHi[k]!);
    }
    for (let i = 0; i < n; i++) {
      // -1 is "not applicable"; other negatives are not positions either (the
      // kernel's f_pos - ret for a pipe or socket, whose f_pos stays 0)
      const pos = w.pos[i]!;
      batch.pos[i] = pos < 0 ? Number.NaN : pos;
      if (w.offCpuNs.length === n) {
        batch.offCpuNs[i] = w.offCpuNs[i]!;
        batch.runqNs[i] = w.runqNs[i]!;
      }
      batch.syscall[i] = this.name(w.nr[i]!);
      batch.path[i] = null;
    }

    if (w.stackDefs.length > 0) addStackDefs(this.stacks, w.stackDefs);
    if (w.stackId.length === n) batch.stackId.set(w.stackId);
    if (this.withStacks) batch.stacks = this.stacks;

    const changes = w.processEvents.map((e) => this.toChange(e)).sort((a, b) => a.timeNs - b.timeNs);
    this.fillComms(batch, changes);

    const sockaddr = new Map<number, Uint8Array>();
    const pipeFds = new Map<number, readonly [number, number]>();
    for (const d of w.data) {
      if (d.kind === PATH) batch.path[d.row] = utf8.decode(d.value);
      else if (d.kind === SOCKADDR) sockaddr.set(d.row, d.value);
      else if (d.kind === PIPE_FDS) {
        const view = new DataView(d.value.buffer, d.value.byteOffset, 8);
        pipeFds.set(d.row, [view.getInt32(0, true), view.getInt32(4, true)]);
      }
    }
    const extras: CallExtras = { sockaddr, pipeFds };
    if (w.ioUring !== null) batch.ioUring = toIoUringRequests(w.ioUring, base, (pid) => this.commOf(pid));
    for (const pid of this.exitedBefore) this.comms.delete(pid);
    this.exitedBefore = this.exited;
    this.exited = new Set();
    return { batch, extras, processChanges: changes };
  }

  // Sets each row's comm: a NAME for a process not seen yet counts from the start of
  // the batch (the loader sends it before the rows that need it); other changes
  // count for rows that end after them.
  private fillComms(batch: EventBatch, changes: readonly ProcessChange[]): void {
    for (const c of changes) if (c.kind === 'name' && !this.comms.has(c.pid)) this.comms.set(c.pid, c.comm);
    let next = 0;
    let lastPid = -1;
    let lastComm = '';
    for (let i = 0; i < batch.length; i++) {
      const end = batch.startNs[i]! + batch.durationNs[i]!;
      while (next < changes.length && changes[next]!.timeNs <= end) {
        this.apply(changes[next++]!);
        lastPid = -1;
      }
      const pid = batch.pid[i]!;
      if (pid !== lastPid) {
        lastPid = pid;
        lastComm = this.comms.get(pid) ?? '';
      }
      batch.comm[i] = lastComm;
    }
    while (next < changes.length) this.apply(changes[next++]!);
  }

  private apply(c: ProcessChange): void {
    switch (c.kind) {
      case 'fork':
        this.revive(c.child);
        this.comms.set(c.child, c.comm !== '' ? c.comm : (this.comms.get(c.pid) ?? ''));
        break;
      case 'exit':
        this.exited.add(c.pid);
        break;
      default:
        this.revive(c.pid);
        this.comms.set(c.pid, c.comm);
    }
  }

  // a pid in use again (reused, or a late NAME) must not be forgotten
  private revive(pid: number): void {
    this.exited.delete(pid);
    this.exitedBefore.delete(pid);
  }

  private toChange(e: syscallprof.ProcessEvent): ProcessChange {
    const kind = PROCESS_KINDS[e.kind]!;
    const timeNs = e.timeNs - this.startMonoNs;
    const comm = sanitize(e.comm);
    return kind === 'fork' ? { kind, timeNs, pid: e.pid, child: e.child, comm } : { kind, timeNs, pid: e.pid, comm };
  }

  private name(nr: number): string {
    let name = this.names[nr];
    if (name === undefined) {
      name = syscallName(this.arch, nr);
      this.names[nr] = name;
    }
    return name;
  }
}

// comm is set by the traced program itself: keep terminal control characters out
function sanitize(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}
