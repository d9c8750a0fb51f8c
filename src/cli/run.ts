// One CLI run: parse, act, and map every failure to one stderr line and an exit code.
import { CommanderError } from 'commander';
import { ExpectedError } from '../core/errors.js';
import type { Io } from './io.js';
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

// Exit code when the output cannot be written (EX_IOERR, as OutputError).
export const OUTPUT_EXIT = 74;

// A failed write to stdout (or any output stream): 'closed' for a reader that
// went away (EPIPE: `| head`), the reason for a full or broken device, null
// for anything else.
export function writeFailure(err: unknown): 'closed' | string | null {
  const e = err as NodeJS.ErrnoException | null;
  if (e === null || typeof e !== 'object' || e.syscall !== 'write' || typeof e.code !== 'string') return null;
  if (e.code === 'EPIPE') return 'closed';
  const reasons: Readonly<Record<string, string>> = { ENOSPC: 'no space left on the device', EIO: 'input/output error', EDQUOT: 'disk quota exceeded', EFBIG: 'file too large', EBADF: 'not open for writing' };
  return reasons[e.code] ?? e.code;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
