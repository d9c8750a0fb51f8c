// spb capture writer: the loader's frame stream, copied through byte for byte.
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

  // The trailer is already in the frames (final snapshot): nothing to add.
  commit(_trailer: CaptureTrailer): number {
    return this.file.commit();
  }

  abort(): void {
    this.file.abort();
  }
}
