// Remembers the last non-empty line of a text stream (for error messages).
export class LastLine {
  private readonly decoder = new TextDecoder();
  private partial = '';
  private complete = '';

  // Feeds a chunk of the stream (UTF-8 sequences may be split across chunks).
  push(chunk: Uint8Array): void {
    const lines = (this.partial + this.decoder.decode(chunk, { stream: true })).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') this.complete = line;
  }

  // The last non-empty line seen so far (an unterminated one counts), or ''.
  get line(): string {
    return (this.partial.trim() !== '' ? this.partial : this.complete).trim();
  }
}

// Forwards the loader's stderr line by line. Until the loader is up (its
// header arrived) lines are held back: a start-up failure's last line is
// what the controller's own error repeats, so it is dropped then and said
// once; everything else is written in order. Once up, lines pass at once.
export class StderrRelay {
  private readonly decoder = new TextDecoder();
  private partial = '';
  private held: string[] = [];
  private live = false;

  constructor(private readonly out: NodeJS.WritableStream) {}

  // Feeds a chunk of the stream.
  push(chunk: Uint8Array): void {
    const lines = (this.partial + this.decoder.decode(chunk, { stream: true })).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.emit(line);
  }

  // The loader is up: what was held goes out, and from now on lines pass at once.
  goLive(): void {
    this.live = true;
    for (const line of this.held.splice(0)) this.out.write(`${line}\n`);
  }

  // The stream ended: `repeated` is the line the caller's error repeats (dropped if it is the last held), or null.
  end(repeated: string | null): void {
    if (this.partial !== '') this.emit(this.partial);
    this.partial = '';
    const last = this.held.length > 0 ? this.held[this.held.length - 1]! : null;
    if (repeated !== null && last !== null && last.trim().endsWith(repeated)) this.held.pop();
    for (const line of this.held.splice(0)) this.out.write(`${line}\n`);
  }

  private emit(line: string): void {
    if (this.live) this.out.write(`${line}\n`);
    else this.held.push(line);
  }
}
