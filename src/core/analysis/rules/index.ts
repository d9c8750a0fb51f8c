// The finding rules, in the order their findings are listed on equal savings.
import type { CaptureAnalysis } from '../capture.js';
import { findingsWith, type Finding, type FindingRule } from '../findings.js';
import { bimodalReads } from './bimodal-reads.js';
import { blockingNetwork } from './blocking-network.js';
import { busyPoll } from './busy-poll.js';
import { dominantSyscall } from './dominant-syscall.js';
import { failedOpenStorm } from './failed-open-storm.js';
import { failingSyscalls } from './failing-syscall.js';
import { futexContention } from './futex-contention.js';
import { memoryChurn } from './memory-churn.js';
import { multimodalSyscalls } from './multimodal-syscall.js';
import { osyncWrites } from './osync-writes.js';
import { randomReads } from './random-reads.js';
import { reopenSameFile } from './reopen-same-file.js';
import { sleepLoop } from './sleep-loop.js';
import { smallReads } from './small-reads.js';
import { smallWrites } from './small-writes.js';
import { statStorm } from './stat-storm.js';
import { syncDominant } from './sync-dominant.js';

// Every rule the report runs: the specific ones, then the generic ones (whose
// findings give way to a specific finding about the same syscall).
export const FINDING_RULES: readonly FindingRule[] = [
  syncDominant,
  osyncWrites,
  smallWrites,
  smallReads,
  randomReads,
  bimodalReads,
  failedOpenStorm,
  statStorm,
  reopenSameFile,
  busyPoll,
  futexContention,
  sleepLoop,
  memoryChurn,
  blockingNetwork,
  dominantSyscall,
  multimodalSyscalls,
  failingSyscalls,
];

// The rule ids, as the findings carry them.
export const RULE_IDS = [
  'sync-dominant',
  'osync-writes',
  'small-writes',
  'small-reads',
  'random-reads',
  'bimodal-reads',
  'failed-open-storm',
  'stat-storm',
  'reopen-same-file',
  'busy-poll',
  'futex-contention',
  'sleep-loop',
  'memory-churn',
  'blocking-network',
  'dominant-syscall',
  'multimodal-syscall',
  'failing-syscall',
] as const;

// Every finding of an analysed capture (all rules, ranked by estimated saving):
// what the report and the live view show.
export function findingsOf(analysis: CaptureAnalysis): Finding[] {
  return findingsWith(analysis, FINDING_RULES);
}
