// What a strace log parse could not use, and the rule for when that is fatal.
import { InputError } from '../../errors.js';

// How many bad lines keep their text for the message.
export const KEPT_BAD_LINES = 5;

// One line that matched no part of the grammar.
export interface BadLine {
  readonly line: number;
  readonly reason: string;
}

// The lines and calls a parse could not use, or could use only in part.
export interface StraceProblems {
  // lines that are not strace output (garbled, cut, another program's text)
  readonly badLines: number;
  // the first KEPT_BAD_LINES of them
  readonly firstBad: readonly BadLine[];
  // `<... x resumed>` without its `<unfinished ...>` (attached mid-call): not counted as calls
  readonly unmatchedResumes: number;
  // calls that never returned (`= ?`: exit_group, a killed thread): counted, duration 0
  readonly noReturn: number;
  // calls without a -T time (logged without -T): counted, duration 0
  readonly untimed: number;
  // the log has no pid column (strace without -f): every call is pid 0
  readonly noPids: boolean;
  // the log has no timestamps (strace without -t/-tt/-ttt): every call starts at 0
  readonly noTimes: boolean;
}

// Throws InputError (exit 65) when more than 1% of the non-blank lines are bad;
// a few bad lines (a cut last line, a stray message) are only reported.
export function assertFewBadLines(problems: StraceProblems, totalLines: number, file = 'strace log'): void {
  if (problems.badLines === 0 || problems.badLines * 100 <= totalLines) return;
  const first = problems.firstBad[0];
  const where = first === undefined ? '' : ` (first at line ${first.line}: ${first.reason})`;
  throw new InputError(`${problems.badLines} of ${totalLines} lines are not strace output${where}`, {
    file,
    ...(first === undefined ? {} : { line: first.line }),
  });
}
