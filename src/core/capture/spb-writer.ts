// spb capture writer: the loader's frame stream, copied through byte for byte.
import { syscallprof } from '../wire/proto.js';
import type { AtomicFile } from './atomic-file.js';
import type { CaptureTrailer, CaptureWriter } from './writer-types.js';

// Writes raw loader stdout; rows are counted by the caller (countRows) since the
// bytes are not decoded here.
export class SpbWriter implements CaptureWriter {
  readonly format = 'spb' as const;
  private count = 0;

  constructor(private readonly file: AtomicFile) {}

  get path(): string {
    return this.file.path;
  }

  get rows(): number {
    return this.count;
  }

  // Adds to the row count (the events in frames already copied through).
  countRows(n: number): void {
    this.count += n;
  }

  write(): void {
    throw new Error('an spb capture takes raw loader frames, not event batches');
  }

  writeRaw(chunk: Uint8Array): void {
    this.file.write(chunk);
  }

  // The trailer is already in the frames (final snapshot); what the loader
  // cannot know (the machine's load) follows as a capture note frame.
  commit(trailer: CaptureTrailer): number {
    const load = trailer.load ?? null;
    const listen = trailer.listen ?? null;
    if (load !== null || listen !== null) {
      const note = syscallprof.CaptureNote.create({ loadJson: load === null ? '' : JSON.stringify(load), listenJson: listen === null ? '' : JSON.stringify(listen) });
      // a frame is its length as a varint, then the message: protobuf's delimited form
      this.file.write(syscallprof.Frame.encodeDelimited(syscallprof.Frame.create({ note })).finish());
    }
    return this.file.commit();
  }

  abort(): void {
    this.file.abort();
  }
}
