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
