// The commander definition of the CLI; actions report their exit code through `done`.
import { Command, Option } from 'commander';
import { BACKEND_NAMES } from '../backends/select.js';
import { DOCTOR_HELP_AFTER, TRACE_HELP_AFTER } from './help.js';
import { doctorCommand } from './doctor.js';
import type { Io } from './io.js';
import { collectPid, intInRange, parseSeconds } from './parsers.js';
import { traceCommand } from './trace.js';
import type { TraceFlags } from './trace-options.js';

// Program name used in messages.
export const PROGRAM = 'syscall-prof';

// The program; commander errors are thrown (exitOverride), not printed.
export function buildProgram(io: Io, done: (code: number) => void): Command {
  const program = new Command(PROGRAM)
    .description('eBPF-first syscall latency profiler for Linux')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
      outputError: () => undefined,
    });

  program
    .command('trace')
    .description('trace syscalls of a command, processes or the whole system and print a latency summary')
    .argument('[command...]', 'command to run and trace (after --)')
    .option('-p, --pid <pid>', 'trace this process (repeatable)', collectPid)
    .option('-c, --command <cmd>', 'run this shell command (via /bin/sh -c) and trace it')
    .option('-a, --all', 'trace the whole system (needs --duration)')
    .option('-d, --duration <sec>', 'stop after this many seconds (decimals allowed)', parseSeconds)
    .option('-i, --interval <ms>', 'snapshot interval in milliseconds (default: 1000)', intInRange(10, 3_600_000))
    .option('--follow', 'also trace children (default for commands)')
    .option('--no-follow', 'do not trace children (default for --pid)')
    .option('-n, --top <n>', 'show only the N syscalls with the most total time', intInRange(1, 1_000_000))
    .option('--json', 'print one JSON object instead of the table')
    .addOption(new Option('-b, --backend <name>', 'tracing backend').choices(BACKEND_NAMES).default('auto'))
    .option('-o, --output <file>', 'write the capture to a file (not yet supported)')
    .addHelpText('after', TRACE_HELP_AFTER)
    .action(async (operands: string[], flags: TraceFlags) => done(await traceCommand(flags, operands, io)));

  program
    .command('doctor')
    .description('check that this machine can trace with eBPF')
    .option('--json', 'print the checks as JSON')
    .addHelpText('after', DOCTOR_HELP_AFTER)
    .action((flags: { json?: boolean }) => done(doctorCommand(flags, io)));

  return program;
}
