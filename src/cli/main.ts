// Entry point of the syscall-prof command (bin/syscall-prof.js imports this).
import { runCli } from './run.js';

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
