// The --stacks options (trace, live, agent): user stacks of slow calls, taken
// in the kernel at the call's exit and unwound by the loader.
import type { Command } from 'commander';
import { MAX_STACK_BYTES, MAX_STACKS_RATE, type EbpfStacksRequest } from '../core/backends/ebpf/request.js';
import { UsageError } from '../core/errors.js';
import { intInRange } from './parsers.js';
import { parseDurationNs } from './trace-parsers.js';

// The stack options as commander parses them.
export interface StackFlags {
  readonly stacks?: boolean;
  // ns, parsed from "1ms" and the like
  readonly stacksMin?: number;
  readonly stackBytes?: number;
  readonly stacksRate?: number;
  readonly kernelStacks?: boolean;
}

// Shown after the help of the commands that take --stacks.
export const STACKS_HELP_AFTER = `
STACKS
--stacks takes the user stack of each slow call when it returns (the stack at
exit is the stack at entry) and shows, per syscall, the code paths holding most
of its slow time: share, calls, p50/p99/max. A call is slow above --stacks-min
(default: adaptive, the syscall's running p90, and always over 1 ms); at most
--stacks-rate stacks per second per CPU are taken, the rest are counted as
skipped. Binaries without frame pointers are unwound from a copy of the stack
(--stack-bytes) with their .eh_frame; how many stacks unwound fully, partly or
not at all (and why) is said under the table.

  sudo syscall-prof trace --stacks -- ./db
  sudo syscall-prof trace --stacks --stacks-min 2ms --json -- ./db > db.json
  sudo syscall-prof trace --stacks --output db.spb -- ./db
  syscall-prof analyze --input db.spb --folded > db.folded   # flamegraph.pl, speedscope
  syscall-prof report --input db.spb --output report.md      # with a flame graph per syscall
`;

// Adds --stacks, --stacks-min, --stack-bytes, --stacks-rate and --kernel-stacks.
export function addStackOptions(command: Command): Command {
  return command
    .option('--stacks', 'take the user stacks of slow calls and show where the slow calls come from (eBPF)')
    .option('--stacks-min <time>', 'with --stacks: a call this slow is slow (500us, 2ms; default: adaptive, the p90 of its syscall, always over 1ms)', parseDurationNs)
    .option('--stack-bytes <n>', `with --stacks: user stack bytes copied to unwind code without frame pointers (0-${MAX_STACK_BYTES}; 0: frame pointers only)`, intInRange(0, MAX_STACK_BYTES))
    .option('--stacks-rate <n>', `with --stacks: at most this many stacks per second per CPU (1-${MAX_STACKS_RATE})`, intInRange(1, MAX_STACKS_RATE))
    .option('--kernel-stacks', 'with --stacks: also the kernel stack of each slow call')
    .addHelpText('after', STACKS_HELP_AFTER);
}

// The stacks part of an eBPF request, or undefined without --stacks; a stack
// option without --stacks, or --stacks with another backend, is a UsageError.
export function stacksRequest(flags: StackFlags, backend: string): EbpfStacksRequest | undefined {
  if (flags.stacks !== true) {
    const stray = (
      [
        ['stacksMin', '--stacks-min'],
        ['stackBytes', '--stack-bytes'],
        ['stacksRate', '--stacks-rate'],
        ['kernelStacks', '--kernel-stacks'],
      ] as const
    ).find(([key]) => flags[key] !== undefined);
    if (stray !== undefined) throw new UsageError(`${stray[1]} needs --stacks`);
    return undefined;
  }
  if (backend !== 'auto' && backend !== 'ebpf') throw new UsageError(`--stacks needs the ebpf backend (${backend} cannot take stacks of slow calls)`);
  if (flags.stacksMin !== undefined && flags.stacksMin < 1) throw new UsageError('--stacks-min must be above 0');
  return {
    ...(flags.stacksMin === undefined ? {} : { minNs: flags.stacksMin }),
    ...(flags.stackBytes === undefined ? {} : { stackBytes: flags.stackBytes }),
    ...(flags.stacksRate === undefined ? {} : { perCpuPerSec: flags.stacksRate }),
    ...(flags.kernelStacks === true ? { kernel: true } : {}),
  };
}
