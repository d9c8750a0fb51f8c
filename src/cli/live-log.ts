// Where the loader's stderr (and a traced command's output) goes during `live`:
// straight through, or held while the screen is up and printed afterwards.
import { Writable } from 'node:stream';
import type { Output } from './io.js';

// Lines kept while held.
const KEPT_LINES = 20;

// A stderr sink that can hold its text while the live screen owns the terminal.
export class LoaderLog extends Writable {
  private held = false;
  private lines: string[] = [];
  private partial = '';
  private dropped = 0;

  constructor(private readonly out: Output) {
    super();
  }

  // From now on keep the text (the last lines) instead of writing it.
  hold(): void {
    this.held = true;
  }

  // Writes what was kept and passes text through again.
  flush(): void {
    if (!this.held) return;
    this.held = false;
    const rest = this.partial === '' ? [] : [this.partial];
    if (this.dropped > 0) this.out.write(`syscall-prof: (${this.dropped} earlier lines of loader/command output not shown)\n`);
    for (const line of [...this.lines, ...rest]) this.out.write(`${line}\n`);
    this.lines = [];
    this.partial = '';
    this.dropped = 0;
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (!this.held) {
      this.out.write(text);
      callback();
      return;
    }
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    this.lines.push(...parts);
    if (this.lines.length > KEPT_LINES) {
      this.dropped += this.lines.length - KEPT_LINES;
      this.lines = this.lines.slice(-KEPT_LINES);
    }
    callback();
  }
}
