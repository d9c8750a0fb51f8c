// The commander definition of the CLI; actions report their exit code through `done`.
import { Command, Option } from 'commander';
import { packageVersion } from '../core/paths.js';
import { BACKEND_NAMES } from '../core/backends/select.js';
import { INPUT_FORMATS } from '../core/capture/format.js';
import { ANALYZE_HELP_AFTER, analyzeCommand, type AnalyzeFlags } from './analyze.js';
import { addAgentOptions, agentCommand } from './agent.js';
import { addLiveCommand } from './live-command.js';
import type { AgentFlags } from './agent-plan.js';
import { AGENT_HELP_AFTER } from './help.js';
import { DOCTOR_HELP_AFTER, TRACE_HELP_AFTER } from './help.js';
import { doctorCommand } from './doctor.js';
import { HISTOGRAM_HELP_AFTER, histogramCommand, type HistogramFlags } from './histogram.js';
import type { Io } from './io.js';
import { collectPid, intInRange, parseSeconds, parseSecondsOrZero, SAMPLE_HELP } from './parsers.js';
import { MAX_SAMPLE_PERIOD } from '../core/backends/ebpf/request.js';
import { parseDurationNs, parseSyscallList } from './trace-parsers.js';
import { DEFAULT_WARMUP_SEC, parseLevels, SWEEP_HELP_AFTER, sweepCommand, type SweepFlags } from './sweep.js';
import { STRESS_KINDS } from '../core/system/load-generator.js';
import { COMPARE_HELP_AFTER, compareCommand, parseLabels, type CompareFlags } from './compare.js';
import { DEFAULT_COMPARE_SYSCALLS } from '../core/analysis/compare.js';
import { REPORT_HELP_AFTER, reportCommand, type ReportFlags } from './report.js';
import { diffCommand, parseAlpha, parseThreshold, type DiffFlags } from './diff.js';
import { DIFF_HELP_AFTER } from './help.js';
import { CHECK_HELP_AFTER, checkCommand, collectBaseline, type CheckFlags } from './check.js';
import { addCaptureOptions, traceCommand } from './trace.js';
import type { TraceFlags } from './trace-options.js';
import { addStackOptions } from './stack-options.js';

// Program name used in messages.
export const PROGRAM = 'syscall-prof';

// The program; commander errors are thrown (exitOverride), not printed.
export function buildProgram(io: Io, done: (code: number) => void): Command {
  const program = new Command(PROGRAM)
    .description('eBPF-first syscall latency profiler for Linux')
    .version(packageVersion(), '-V, --version', 'print the version')
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
    .option('-c, --command <cmd>', 'run this command line and trace it (its words as argv, as strace does; through /bin/sh -c only when it has shell syntax: | && > $VAR * ~ ...)')
    .option('-a, --all', 'trace the whole system (needs --duration)')
    .option('--cgroup <dir>', 'trace every process in this cgroup v2 directory (filtered in the kernel; until --duration or Ctrl-C)')
    .option('-d, --duration <sec>', 'stop after this many seconds (decimals allowed)', parseSeconds)
    .option('-i, --interval <ms>', 'snapshot interval in milliseconds (default: 1000)', intInRange(10, 3_600_000))
    .option('--follow', 'also trace children (default for commands)')
    .option('--no-follow', 'do not trace children (default for --pid)')
    .option('-n, --top <n>', 'show only the N syscalls with the most total time', intInRange(1, 1_000_000))
    .option('--json', 'print one JSON object instead of the table')
    .option('--no-offcpu', 'do not split time inside syscalls into blocked, waiting for a CPU and on the CPU (saves the sched_switch program)')
    .option('--sample <n>', SAMPLE_HELP, intInRange(1, MAX_SAMPLE_PERIOD))
    .addOption(new Option('-b, --backend <name>', 'tracing backend').choices(BACKEND_NAMES).default('auto'))
    .option('-o, --output <file>', 'record every call to this file (csv, jsonl, spb or parquet; see CAPTURE FILES)')
    .addHelpText('after', TRACE_HELP_AFTER)
    .action(async (operands: string[], flags: TraceFlags) => done(await traceCommand(flags, operands, io)));

  addCaptureOptions(program.commands.find((c) => c.name() === 'trace')!);
  addStackOptions(program.commands.find((c) => c.name() === 'trace')!);
  addLiveCommand(program, io, done);
  program
    .command('doctor')
    .description('check that this machine can trace with eBPF')
    .option('--json', 'print the checks as JSON')
    .addHelpText('after', DOCTOR_HELP_AFTER)
    .action((flags: { json?: boolean }) => done(doctorCommand(flags, io)));

  program
    .command('analyze')
    .description('per-syscall latency statistics of a capture file')
    .requiredOption('-i, --input <file>', 'capture file (CSV, JSON lines, spb or Parquet)')
    .option('-n, --top <n>', 'show only the N syscalls with the most total time', intInRange(1, 1_000_000))
    .option('--json', 'print one JSON object instead of the table')
    .option('--connections', 'show the connections (per process, direction and endpoint) instead of the syscalls')
    .option('--folded', 'print the slow calls\' stacks as folded stacks (flamegraph.pl, speedscope) instead of the table (captures of trace --stacks)')
    .addOption(new Option('--folded-value <what>', 'with --folded: what a line counts (default: time, in ns)').choices(['time', 'calls']))
    .option('--pprof <file>', 'also write the slow calls\' stacks as a gzipped pprof profile here, atomically (go tool pprof, Pyroscope)')
    .addOption(new Option('-f, --format <format>', 'input format (default: from the extension or the content)').choices(INPUT_FORMATS))
    .option('--skip-bad', 'skip malformed rows (counted) instead of stopping at the first')
    .addHelpText('after', ANALYZE_HELP_AFTER)
    .action(async (flags: AnalyzeFlags) => done(await analyzeCommand(flags, io)));

  program
    .command('histogram')
    .description('latency distribution of one syscall in a capture file')
    .requiredOption('-i, --input <file>', 'capture file (CSV, JSON lines, spb or Parquet)')
    .option('-s, --syscall <name>', 'the syscall to show (e.g. read)')
    .option('--io-uring-op <op>', "or an io_uring opcode's requests (e.g. read; eBPF captures)")
    .option('-b, --buckets <spec>', 'default, log2, or edges like 10us,100us,1ms')
    .option('--json', 'print one JSON object instead of the chart')
    .addOption(new Option('-f, --format <format>', 'input format (default: from the extension or the content)').choices(INPUT_FORMATS))
    .option('--skip-bad', 'skip malformed rows (counted) instead of stopping at the first')
    .addHelpText('after', HISTOGRAM_HELP_AFTER)
    .action(async (flags: HistogramFlags) => done(await histogramCommand(flags, io)));

  program
    .command('report')
    .description('Markdown report of a capture file: summary, I/O categories, findings, distributions')
    .requiredOption('-i, --input <file>', 'capture file (CSV, JSON lines, spb or Parquet)')
    .option('-o, --output <file>', 'write the report (and its SVG charts beside it) here, atomically, instead of stdout')
    .option('-n, --top <n>', 'rows in the syscall summary (default: all)', intInRange(1, 1_000_000))
    .option('--json', 'print the report model as one JSON object instead of Markdown')
    .addOption(new Option('-f, --format <format>', 'input format (default: from the extension or the content)').choices(INPUT_FORMATS))
    .option('--skip-bad', 'skip malformed rows (counted) instead of stopping at the first')
    .addHelpText('after', REPORT_HELP_AFTER)
    .action(async (flags: ReportFlags) => done(await reportCommand(flags, io)));

  program
    .command('diff')
    .description('compare two capture files: per-syscall and per-category changes, regressions, new and gone findings')
    .argument('<before>', 'capture before the change (CSV, JSON lines, spb or Parquet)')
    .argument('<after>', 'capture after the change')
    .option('-t, --threshold <pct>', 'smallest p50, mean or p99 change that counts (default: 10%)', parseThreshold)
    .option('--min-delta <duration>', 'smallest p50, mean or p99 change in time that counts (default: 100ns)', parseDurationNs)
    .option('--alpha <p>', 'significance level: a test must give p below this (default: 0.01)', parseAlpha)
    .option('--min-calls <n>', 'calls needed in both captures for a change to count (default: 30)', intInRange(1, 1_000_000_000))
    .option('--json', 'print one JSON object instead of the tables')
    .addOption(new Option('-f, --format <format>', 'input format of both files (default: from the extension or the content)').choices(INPUT_FORMATS))
    .option('--skip-bad', 'skip malformed rows (counted) instead of stopping at the first')
    .addHelpText('after', DIFF_HELP_AFTER)
    .action(async (before: string, after: string, flags: DiffFlags) => done(await diffCommand(before, after, flags, io)));

  program
    .command('compare')
    .description('compare N captures side by side (load levels, versions): latency per level, significance against the first, categories, findings')
    .argument('<captures...>', 'two or more captures (CSV, JSON lines, spb or Parquet); the first is the reference')
    .option('--labels <names>', 'one label per capture, comma-separated (default: the recorded level, else the file name)', parseLabels)
    .option('--syscalls <names>', 'compare these syscalls, comma-separated (default: the most time at any level)', parseSyscallList)
    .option('--top <n>', `without --syscalls, how many syscalls (default: ${DEFAULT_COMPARE_SYSCALLS})`, intInRange(1, 1000))
    .option('-o, --output <file>', 'write Markdown (charts in FILE.assets/) or, with --json, JSON here, atomically')
    .option('--json', 'JSON instead of tables')
    .option('-t, --threshold <pct>', 'smallest p50, mean or p99 change that counts (default: 10%)', parseThreshold)
    .option('--alpha <p>', 'significance level (default: 0.01)', parseAlpha)
    .option('--min-calls <n>', 'calls needed on both sides to judge (default: 30)', intInRange(1, 1_000_000_000))
    .addOption(new Option('-f, --format <format>', 'input format of every file (default: from the extension or the content)').choices(INPUT_FORMATS))
    .option('--skip-bad', 'skip malformed rows (counted) instead of stopping at the first')
    .addHelpText('after', COMPARE_HELP_AFTER)
    .action(async (captures: string[], flags: CompareFlags) => done(await compareCommand(captures, flags, io)));

  program
    .command('sweep')
    .description('run a load generator (stress-ng) at several levels, trace the target at each, and compare the levels')
    .option('--command <cmd>', 'command to run and trace at each level (a fixed amount of work)')
    .option('-p, --pid <pid>', 'trace this process at each level (repeatable; needs --duration)', collectPid)
    .option('--cgroup <dir>', 'trace the processes of this cgroup at each level (needs --duration)')
    .option('-d, --duration <sec>', 'trace each level this long', parseSeconds)
    .requiredOption('--levels <n,n,...>', 'stress-ng workers per level, comma-separated; 0 is no load (e.g. 0,2,4)', parseLevels)
    .addOption(new Option('--stress <kind>', 'what the workers load').choices(STRESS_KINDS).default('cpu'))
    .option('--labels <names>', 'one label per level (default: baseline, cpu-2, cpu-4, ...)', parseLabels)
    .option('-o, --output-dir <dir>', 'where the captures and compare.md go (default: ./sweep-<date>-<time>; must be new or empty)')
    .option('--warmup <sec>', `seconds the load runs before each trace (default: ${DEFAULT_WARMUP_SEC})`, parseSecondsOrZero)
    .option('--syscalls <names>', 'compare these syscalls, comma-separated', parseSyscallList)
    .option('--top <n>', `without --syscalls, how many syscalls to compare (default: ${DEFAULT_COMPARE_SYSCALLS})`, intInRange(1, 1000))
    .addHelpText('after', SWEEP_HELP_AFTER)
    .action(async (flags: SweepFlags) => done(await sweepCommand(flags, io)));

  program
    .command('check')
    .description('CI gate: judge a capture against a baseline, exit 1 on a significant p50 or p99 regression')
    .argument('<current>', 'capture to judge (CSV, JSON lines, spb or Parquet)')
    .option('--baseline <file>', 'earlier capture of the same workload (repeatable: pooled)', collectBaseline)
    .option('--max-p50-regression <pct>', 'largest allowed p50 growth (default: 20%)', parseThreshold)
    .option('--max-p99-regression <pct>', 'largest allowed p99 growth (default: 20%)', parseThreshold)
    .option('--max-rate-regression <pct>', 'also fail when calls per second fell by more than this (default: not checked)', parseThreshold)
    .option('--alpha <p>', 'significance level: a test must give p below this (default: 0.01)', parseAlpha)
    .option('--min-calls <n>', 'calls needed on both sides to decide (default: 30)', intInRange(1, 1_000_000_000))
    .option('--json', 'print one JSON object instead of the table')
    .option('--junit <file>', 'also write JUnit XML here, atomically')
    .addOption(new Option('-f, --format <format>', 'input format of every file (default: from the extension or the content)').choices(INPUT_FORMATS))
    .option('--skip-bad', 'skip malformed rows (counted) instead of stopping at the first')
    .addHelpText('after', CHECK_HELP_AFTER)
    .action(async (current: string, flags: CheckFlags) => done(await checkCommand(current, flags, io)));

  addAgentOptions(
    program
      .command('agent')
      .description('run headless: export syscall latency metrics to Prometheus (/metrics) and/or OTLP')
      .addHelpText('after', AGENT_HELP_AFTER)
      .action(async (flags: AgentFlags) => done(await agentCommand(flags, io))),
  );

  return program;
}
