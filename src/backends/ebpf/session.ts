// The order rules of a frame stream: one header first, then snapshots up to a final one.
import type { Profile } from '../../model/profile.js';
import { toProfile } from './convert.js';
import { InvalidFrameError } from './frame-errors.js';
import type { ReadFrame } from './frame-reader.js';
import { headerProblem, snapshotProblem } from './validate.js';
import type { WireFrame, WireHeader, WireSnapshot } from './wire-types.js';

// Validates frames in stream order and turns snapshots into Profiles.
export class FrameSession {
  private header: WireHeader | null = null;
  private previous: WireSnapshot | null = null;
  private latest: Profile | null = null;

  constructor(private readonly source: string) {}

  // The Profile of the last snapshot, if any.
  get last(): Profile | null {
    return this.latest;
  }

  // Whether the final snapshot has been seen.
  get finished(): boolean {
    return this.previous?.final ?? false;
  }

  // Whether the header has been seen.
  get started(): boolean {
    return this.header !== null;
  }

  // Accepts the next frame: returns the snapshot's Profile, or null for the header.
  accept({ offset, frame }: ReadFrame<WireFrame>): Profile | null {
    const fail = (detail: string): never => {
      throw new InvalidFrameError(offset, detail, { file: this.source });
    };
    if ((frame.header === null) === (frame.snapshot === null)) fail('frame has neither a header nor a snapshot');
    if (frame.header !== null) {
      if (this.header !== null) fail('second header');
      const problem = headerProblem(frame.header);
      if (problem !== null) fail(problem);
      this.header = frame.header;
      return null;
    }
    const snapshot = frame.snapshot!;
    if (this.header === null) fail('snapshot before the header');
    if (this.finished) fail('snapshot after the final one');
    const problem = snapshotProblem(snapshot, this.header!);
    if (problem !== null) fail(problem);
    if (this.previous !== null && (snapshot.seq < this.previous.seq || snapshot.monoNs < this.previous.monoNs)) {
      fail(`snapshot ${snapshot.seq} goes back in sequence or time`);
    }
    this.previous = snapshot;
    this.latest = toProfile(this.header!, snapshot);
    return this.latest;
  }
}
