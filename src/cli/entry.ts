// What each entry point (main.ts for node, sea.ts for the single executable) runs.
import { runCli } from './run.js';

// Runs the CLI on this process's arguments and sets its exit code.
export async function main(): Promise<void> {
  // A reader that stops early (`syscall-prof analyze ... | head`) closes the pipe:
  // the output is no longer wanted, which is no error, and never a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
}
