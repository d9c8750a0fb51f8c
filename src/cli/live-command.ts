// The commander definition of `live` (program.ts adds it with one call).
import { Option, type Command } from 'commander';
import { BACKEND_NAMES } from '../core/backends/select.js';
import { addAnomalyOptions } from './anomaly-options.js';
import { addExportOptions } from './export-options.js';
import { addStackOptions } from './stack-options.js';
import { VIEWS } from '../presentation/tui/model/view-rows.js';
import { SORT_ORDER } from '../presentation/tui/state.js';
import { LIVE_HELP_AFTER } from './help.js';
import type { Io } from './io.js';
import { liveCommand } from './live.js';
import { parseInterval, type LiveFlags } from './live-options.js';
import { collectPid, intInRange, LIVE_MAX_OVERHEAD_HELP, parsePercent, parseSeconds, SAMPLE_HELP } from './parsers.js';
import { MAX_SAMPLE_PERIOD } from '../core/backends/ebpf/request.js';

// Adds the live subcommand to the program.
export function addLiveCommand(program: Command, io: Io, done: (code: number) => void): Command {
  const cmd = program
    .command('live')
    .description('live top view of syscalls: rates, latencies and errors per interval (whole system by default)')
    .argument('[command...]', 'command to run and watch (after --)')
    .option('-p, --pid <pid>', 'watch this process (repeatable)', collectPid)
    .option('-c, --command <cmd>', 'run this command line and watch it (through /bin/sh -c only when it has shell syntax)')
    .option('--cgroup <path>', 'watch the tasks of this cgroup v2 directory')
    .option('-i, --interval <time>', 'refresh interval: 500ms, 2s or seconds (default 1s)', parseInterval)
    .option('-d, --duration <sec>', 'stop after this many seconds', parseSeconds)
    .option('-n, --iterations <n>', 'stop after this many snapshots', intInRange(1, 100_000_000))
    .option('--follow', 'also watch children (default for commands)')
    .option('--no-follow', 'do not watch children (default for --pid)')
    .addOption(new Option('-b, --backend <name>', 'tracing backend (only ebpf can stream; see below)').choices(BACKEND_NAMES).default('ebpf'))
    .option('--events', 'also stream every call: per-thread and per-file views (costs more)')
    .option('--sample <n>', SAMPLE_HELP, intInRange(1, MAX_SAMPLE_PERIOD))
    .option('--max-overhead <pct>', LIVE_MAX_OVERHEAD_HELP, parsePercent)
    .option('--batch', 'print a plain-text snapshot each interval (default when stdout is not a terminal)')
    .option('--json', 'print one JSON object per snapshot (NDJSON)')
    .addOption(new Option('--view <view>', 'view to start with / print').choices(VIEWS))
    .addOption(new Option('--sort <column>', 'sort column to start with').choices(SORT_ORDER))
    .option('--filter <text>', 'show only rows whose name contains this')
    .option('--include-waits', 'count waiting calls (epoll_wait, poll, futex, wait4, sleeps...) in %TIME and rank them with the rest (the w key toggles it)')
    .option('--top <n>', 'rows per batch snapshot (default 20) or JSON list (default 50)', intInRange(1, 1_000_000))
    .option('-o, --output <file.spb>', 'also copy everything captured to this .spb file (for analyze -i)')
    .addHelpText('after', LIVE_HELP_AFTER)
    .action(async (operands: string[], flags: LiveFlags) => done(await liveCommand(flags, operands, io)));
  // --prometheus / --otlp: the same exporters as `agent`, fed by the live snapshots
  return addAnomalyOptions(addExportOptions(addStackOptions(cmd)), false);
}
