// One CLI run: parse, act, and map every failure to one stderr line and an exit code.
import { CommanderError } from 'commander';
import { ExpectedError } from '../core/errors.js';
import type { Io } from './io.js';
import { OUTPUT_EXIT, writeFailure } from './write-failure.js';
import { buildProgram, PROGRAM } from './program.js';

// Exit code of commander's own usage errors.
const USAGE_EXIT = 2;

// Runs the CLI with user arguments (no node/script prefix); resolves to the exit code.
export async function runCli(args: readonly string[], io: Io): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...args], { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return 0;
      // help already printed (e.g. no subcommand given)
      if (err.code !== 'commander.help') io.stderr.write(`${PROGRAM}: ${oneLine(err.message.replace(/^error: /, ''))}\n`);
      return USAGE_EXIT;
    }
    if (err instanceof ExpectedError) {
      io.stderr.write(`${PROGRAM}: ${oneLine(err.message)}\n`);
      return err.exitCode;
    }
    const write = writeFailure(err);
    if (write === 'closed') return code;
    if (write !== null) {
      io.stderr.write(`${PROGRAM}: cannot write the output: ${write}\n`);
      return OUTPUT_EXIT;
    }
    io.stderr.write(`${PROGRAM}: unexpected error (a bug; please report it)\n${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
