// Counting the lines a text-output parser could not read, and failing when too many are bad.
import { InputError } from '../../errors.js';

// How many first bad lines are kept for the message.
const KEEP = 5;

// One unreadable line: its 1-based number and why.
export interface BadLine {
  readonly line: number;
  readonly reason: string;
}

// The unreadable lines of one input (a count, and the first few).
export class BadLines {
  count = 0;
  readonly first: BadLine[] = [];

  constructor(readonly file: string) {}

  // Records one unreadable line.
  add(line: number, reason: string): void {
    this.count += 1;
    if (this.first.length < KEEP) this.first.push({ line, reason });
  }
}

// Throws InputError (exit 65) when more than 1% of `total` lines are bad: the
// input is not what the parser expects (another tool version or format).
export function assertFewBadLines(problems: BadLines, total: number): void {
  if (problems.count === 0 || problems.count * 100 <= total) return;
  const first = problems.first[0]!;
  throw new InputError(
    `line ${first.line}: ${problems.count} of ${total} lines could not be read (more than 1%); first: ${first.reason}`,
    { file: problems.file, line: first.line },
  );
}
