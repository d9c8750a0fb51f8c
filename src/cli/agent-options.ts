// The options of `agent`: what to trace, how often, and the exporter options.
import type { Command } from 'commander';
import { addAnomalyOptions } from './anomaly-options.js';
import { addExportOptions } from './export-options.js';
import { addStackOptions } from './stack-options.js';
import { parseInterval } from './live-options.js';
import { collectPid, intInRange, MAX_OVERHEAD_HELP, parsePercent, parseSeconds, SAMPLE_HELP } from './parsers.js';
import { MAX_SAMPLE_PERIOD } from '../core/backends/ebpf/request.js';

// --interval: "500ms" or "2s" as for live; a bare number is milliseconds, as for trace.
export function parseAgentInterval(text: string): number {
  return /^\s*\d+\s*$/.test(text) ? intInRange(10, 3_600_000)(text.trim()) : parseInterval(text);
}

// Adds the agent's own and the exporter options to its command.
export function addAgentOptions(cmd: Command): Command {
  cmd
    .option('-a, --all', 'trace the whole system (the default)')
    .option('-p, --pid <pid>', 'trace this process (repeatable); the agent stops when all exit', collectPid)
    .option('--cgroup <path>', 'trace only tasks in this cgroup v2 directory (filtered in the kernel)')
    .option('--follow', 'with --pid: also trace children')
    .option('--no-follow', 'with --pid: do not trace children (default)')
    .option('-i, --interval <time>', 'snapshot interval: 500ms, 2s, or milliseconds (default: 1s)', parseAgentInterval)
    .option('-d, --duration <sec>', 'stop after this many seconds (default: until SIGTERM/SIGINT)', parseSeconds)
    .option('--sample <n>', SAMPLE_HELP, intInRange(1, MAX_SAMPLE_PERIOD))
    .option('--max-overhead <pct>', MAX_OVERHEAD_HELP, parsePercent);
  return addAnomalyOptions(addExportOptions(addStackOptions(cmd)), true);
}
