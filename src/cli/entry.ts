// What each entry point (main.ts for node, sea.ts for the single executable) runs.
import { runCli } from './run.js';
import { OUTPUT_EXIT, writeFailure } from './write-failure.js';

// Runs the CLI on this process's arguments and sets its exit code.
export async function main(): Promise<void> {
  // Asynchronous write errors of stdout (a pipe): a reader that stops early
  // (`syscall-prof analyze ... | head`) closes it, which is no error; any other
  // failure is one line and exit 74, never a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    // a command that watches its own output (live: stop, finish --output, say
    // so) has its own listener and decides
    if (process.stdout.listenerCount('error') > 1) return;
    const failure = writeFailure(err);
    if (failure === 'closed') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    process.stderr.write(`syscall-prof: cannot write the output: ${failure ?? err.message}\n`);
    process.exit(OUTPUT_EXIT);
  });
  process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
}
