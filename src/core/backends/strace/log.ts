// Importing a strace log a user already has (any of -f, -t/-tt/-ttt, -T, -y)
// as a CaptureSource.
import { LineReader } from '../../capture/line-reader.js';
import { NO_FILTERS } from '../../capture/meta.js';
import type { CaptureMeta, CaptureSource, EventBatch } from '../../model/events.js';
import type { Profile } from '../../model/profile.js';
import { parseLine } from './line.js';
import { StraceParser } from './parse.js';
import { assertFewBadLines, type StraceProblems } from './problems.js';
import { hostArch } from '../../model/syscall-names.js';

// How to read a strace log.
export interface StraceLogOptions {
  // rows per batch (default 8192)
  readonly batchRows?: number;
  // fail (InputError, exit 65) when more than 1% of lines are bad (default true)
  readonly strict?: boolean;
}

// A strace log being read: the model's CaptureSource plus what could not be used.
export interface StraceLogSource extends CaptureSource {
  // complete once `batches` has been consumed
  problems(): StraceProblems;
}

// Opens a strace log: checks now that it opens and its first line is strace
// output, reads its calls as `batches` is iterated (once).
export function openStraceLog(path: string, options: StraceLogOptions = {}): StraceLogSource {
  const head = new LineReader(path, 1 << 16);
  let first: string | null = null;
  try {
    for (let line = head.next(); line !== null && first === null; line = head.next()) {
      const text = line.bytes.toString('utf8');
      if (text.trim() !== '') first = text;
    }
  } finally {
    head.close();
  }
  if (first === null || !looksLikeStrace(Buffer.from(first))) {
    // nothing to sniff is as fatal as garbage: a strace log has at least one line
    assertFewBadLines(
      { badLines: 1, firstBad: [{ line: 1, reason: first === null ? 'empty file' : 'not strace output' }], unmatchedResumes: 0, noReturn: 0, untimed: 0, noPids: false, noTimes: false },
      1,
      path,
    );
  }
  return new StraceLog(path, options);
}

class StraceLog implements StraceLogSource {
  meta: CaptureMeta;
  private readonly parser: StraceParser;
  private consumed = false;

  constructor(
    private readonly path: string,
    private readonly options: StraceLogOptions,
  ) {
    this.parser = new StraceParser(options.batchRows === undefined ? {} : { batchRows: options.batchRows });
    this.meta = { backend: 'strace', arch: hostArch(), target: `strace log ${path}`, startRealNs: '0', durationNs: null, lostEvents: 0, filters: NO_FILTERS };
  }

  get batches(): AsyncIterable<EventBatch> {
    return { [Symbol.asyncIterator]: () => this.iterate() };
  }

  problems(): StraceProblems {
    return this.parser.problems();
  }

  final(): { readonly meta: CaptureMeta; readonly profile: Profile | null; readonly warnings?: readonly string[] } {
    const facts = this.parser.facts();
    const p = this.parser.problems();
    const notes = [
      p.untimed > 0 ? 'no durations: logged without -T' : '',
      p.noPids ? 'no pids: logged without -f' : '',
      p.noTimes ? 'no start times: logged without -ttt' : '',
    ].filter((n) => n !== '');
    const meta: CaptureMeta = {
      ...this.meta,
      target: notes.length === 0 ? this.meta.target : `${this.meta.target} (${notes.join('; ')})`,
      startRealNs: facts.startRealNs,
      durationNs: facts.durationNs,
    };
    // a few bad lines (at most 1%, else reading failed) are skipped, and said
    const lines = p.firstBad.map((b) => `line ${b.line}: ${b.reason}`).join('; ');
    const more = p.badLines > p.firstBad.length ? '; ...' : '';
    const warnings = p.badLines === 0 ? [] : [`skipped ${p.badLines} of ${this.parser.lineCount} lines that are not strace output (${lines}${more})`];
    return { meta, profile: null, ...(warnings.length === 0 ? {} : { warnings }) };
  }

  private async *iterate(): AsyncGenerator<EventBatch> {
    if (this.consumed) throw new Error(`${this.path}: batches can be read only once`);
    this.consumed = true;
    const reader = new LineReader(this.path);
    try {
      for (let line = reader.next(); line !== null; line = reader.next()) {
        this.parser.push(line.bytes.toString('utf8'), line.number);
        for (const b of this.parser.drain()) yield b;
      }
      const last = this.parser.finish();
      if (this.options.strict ?? true) assertFewBadLines(this.parser.problems(), this.parser.lineCount, this.path);
      for (const b of last) yield b;
    } finally {
      reader.close();
    }
  }
}

// Whether the first bytes of a file look like strace output (for format sniffing).
export function looksLikeStrace(firstBytes: Uint8Array): boolean {
  const text = Buffer.from(firstBytes.buffer, firstBytes.byteOffset, firstBytes.byteLength).toString('utf8');
  const firstLine = text.split('\n', 1)[0] ?? '';
  const l = parseLine(firstLine);
  // a bare name( with no pid or time is too weak alone: it must also be a known call shape
  return l.kind === 'call' || l.kind === 'unfinished' || l.kind === 'resumed' || l.kind === 'signal' || l.kind === 'exit' || l.kind === 'killed' || (l.kind === 'note' && firstLine.startsWith('strace: '));
}
