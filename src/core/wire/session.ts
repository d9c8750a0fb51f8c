// The order rules of a frame stream: one header first, then snapshots (and, in
// event mode, event batches) up to a final snapshot.
import { parseListenPressure, type ListenPressure } from '../model/listen.js';
import { parseLoadLevel, type LoadLevel } from '../model/load.js';
import type { Profile } from '../model/profile.js';
import { toProfile, toStreamStart } from './convert.js';
import { SnapshotMerger } from './delta.js';
import { EventConverter } from './event-convert.js';
import { addStackDefs } from './stack-convert.js';
import type { StackTable } from '../model/stacks.js';
import type { EventListener, StartListener } from './event-types.js';
import { InvalidFrameError } from './frame-errors.js';
import type { ReadFrame } from './frame-reader.js';
import { eventBatchProblem, headerProblem, snapshotProblem } from './validate.js';
import type { WireFrame, WireHeader, WireSnapshot } from './wire.js';

// What a session does besides validating.
export interface FrameSessionOptions {
  // receives each event batch, converted, in stream order
  readonly onEvents?: EventListener;
  // receives what the header says, once it is validated
  readonly onStart?: StartListener;
}

// Validates frames in stream order, turns snapshots into Profiles and event batches into model batches.
export class FrameSession {
  private wireHeader: WireHeader | null = null;
  // sequence and time of the last snapshot (not the snapshot: it is large and would outlive its interval)
  private previous: Pick<WireSnapshot, 'seq' | 'monoNs' | 'final'> | null = null;
  private latest: Profile | null = null;
  private converter: EventConverter | null = null;
  // the cumulative state behind delta snapshots (--full-every)
  private readonly merger = new SnapshotMerger();
  private rows = 0;
  private batches = 0;
  private noteLoad: LoadLevel | null = null;
  private noteListen: ListenPressure | null = null;
  // the stack definitions seen so far (snapshots and event batches), by id
  private readonly stackTable: StackTable = new Map();

  constructor(
    private readonly source: string,
    private readonly options: FrameSessionOptions = {},
  ) {}

  // The Profile of the last snapshot, if any.
  get last(): Profile | null {
    return this.latest;
  }

  // The load level a capture note recorded (sweep's captures), if any.
  get load(): LoadLevel | null {
    return this.noteLoad;
  }

  // The listen queue pressure a capture note recorded, if any.
  get listen(): ListenPressure | null {
    return this.noteListen;
  }

  // Whether the final snapshot has been seen.
  get finished(): boolean {
    return this.previous?.final ?? false;
  }

  // Whether the header has been seen.
  get started(): boolean {
    return this.wireHeader !== null;
  }

  // The validated header, once seen.
  get header(): WireHeader | null {
    return this.wireHeader;
  }

  // Event rows and batches seen so far.
  get eventCounts(): { readonly rows: number; readonly batches: number } {
    return { rows: this.rows, batches: this.batches };
  }

  // Accepts the next frame: returns the snapshot's Profile, or null for a header,
  // an event batch, or a delta snapshot that cannot be merged (before the first
  // full snapshot, or after a gap in seq: until the next full one).
  accept({ offset, frame }: ReadFrame<WireFrame>): Profile | null {
    const fail = (detail: string): never => {
      throw new InvalidFrameError(offset, detail, { file: this.source });
    };
    const note = frame.note ?? null;
    const bodies = (frame.header !== null ? 1 : 0) + (frame.snapshot !== null ? 1 : 0) + (frame.events !== null ? 1 : 0) + (note !== null ? 1 : 0);
    if (bodies !== 1) fail('frame has neither a header, a snapshot, an event batch nor a note');
    if (note !== null) {
      // the controller's notes follow the loader's frames: after the final snapshot
      if (!this.finished) fail('a capture note before the final snapshot');
      if (note.loadJson !== '') this.noteLoad = noteField(note.loadJson, 'load', parseLoadLevel, fail);
      if (note.listenJson !== '') this.noteListen = noteField(note.listenJson, 'listen', parseListenPressure, fail);
      return null;
    }
    if (frame.header !== null) {
      if (this.wireHeader !== null) fail('second header');
      const problem = headerProblem(frame.header);
      if (problem !== null) fail(problem);
      this.wireHeader = frame.header;
      this.options.onStart?.(toStreamStart(frame.header));
      return null;
    }
    if (this.wireHeader === null) fail(`${frame.snapshot !== null ? 'snapshot' : 'event batch'} before the header`);
    const header = this.wireHeader!;
    if (this.finished) fail(frame.snapshot !== null ? 'snapshot after the final one' : 'event batch after the final snapshot');
    if (frame.events !== null) {
      const problem = eventBatchProblem(frame.events, header);
      if (problem !== null) fail(problem);
      this.converter ??= new EventConverter(header, this.stackTable);
      const chunk = this.converter.convert(frame.events);
      this.rows += chunk.batch.length;
      this.batches += 1;
      this.options.onEvents?.(chunk);
      return null;
    }
    const raw = frame.snapshot!;
    if (raw.delta && raw.final) fail('the final snapshot is a delta');
    if (this.previous !== null && (raw.seq < this.previous.seq || raw.monoNs < this.previous.monoNs)) {
      fail(`snapshot ${raw.seq} goes back in sequence or time`);
    }
    this.previous = { seq: raw.seq, monoNs: raw.monoNs, final: raw.final };
    // stacks are defined once: keep them even from a delta the merger cannot use yet
    addStackDefs(this.stackTable, raw.stackDefs);
    const snapshot = this.merger.merge(raw);
    if (snapshot === null) return null;
    const problem = snapshotProblem(snapshot, header);
    if (problem !== null) fail(problem);
    this.latest = toProfile(header, snapshot, this.stackTable);
    return this.latest;
  }
}

// One JSON field of a capture note, checked by its parser; a problem is corrupt input (fail throws).
function noteField<T>(json: string, name: string, parse: (value: unknown) => T | string, fail: (detail: string) => never): T {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return fail(`capture note: ${name} is not JSON`);
  }
  const parsed = parse(value);
  return typeof parsed === 'string' ? fail(`capture note: ${name}: ${parsed}`) : parsed;
}
