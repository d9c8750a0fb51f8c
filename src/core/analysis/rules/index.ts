// The finding rules: the one list every other list of rules derives from.
import type { CaptureAnalysis } from '../capture.js';
import { findingsWith } from '../findings.js';
import { BIMODAL_READS } from './bimodal-reads.js';
import { BLOCKING_NETWORK } from './blocking-network.js';
import { BUSY_POLL } from './busy-poll.js';
import { CONNECTION_CHURN } from './connection-churn.js';
import { CONNECTION_ERRORS } from './connection-errors.js';
import { LISTEN_OVERFLOW } from './listen-overflow.js';
import { DOMINANT_SYSCALL } from './dominant-syscall.js';
import { FAILED_OPEN_STORM } from './failed-open-storm.js';
import { FAILING_SYSCALL } from './failing-syscall.js';
import { FUTEX_CONTENTION } from './futex-contention.js';
import { IO_URING_CQ_OVERFLOW } from './io-uring-cq-overflow.js';
import { IO_URING_DEPTH_ONE } from './io-uring-depth-one.js';
import { IO_URING_FSYNC_PER_WRITE } from './io-uring-fsync-per-write.js';
import { IO_URING_PUNTS } from './io-uring-punts.js';
import { IO_URING_SMALL_SUBMISSIONS } from './io-uring-small-submissions.js';
import { MEMORY_CHURN } from './memory-churn.js';
import { MULTIMODAL_SYSCALL } from './multimodal-syscall.js';
import { NAGLE_STALL } from './nagle-stall.js';
import { OSYNC_WRITES } from './osync-writes.js';
import { PROCESS_STARTUP } from './process-startup.js';
import { RANDOM_READS } from './random-reads.js';
import { REOPEN_SAME_FILE } from './reopen-same-file.js';
import { REQUEST_RESPONSE } from './request-response.js';
import { SLEEP_LOOP } from './sleep-loop.js';
import { SLOW_FIRST_BYTE } from './slow-first-byte.js';
import { SMALL_READS } from './small-reads.js';
import { SMALL_WRITES } from './small-writes.js';
import { STAT_STORM } from './stat-storm.js';
import { SYNC_DOMINANT } from './sync-dominant.js';

// Every rule the report runs, in the order their findings are listed on equal
// savings: the specific ones, then the generic ones (whose findings give way to
// a specific finding about the same syscall).
export const FINDING_RULES = [
  SYNC_DOMINANT,
  OSYNC_WRITES,
  IO_URING_FSYNC_PER_WRITE,
  IO_URING_PUNTS,
  IO_URING_DEPTH_ONE,
  IO_URING_SMALL_SUBMISSIONS,
  IO_URING_CQ_OVERFLOW,
  SMALL_WRITES,
  SMALL_READS,
  REQUEST_RESPONSE,
  CONNECTION_CHURN,
  NAGLE_STALL,
  SLOW_FIRST_BYTE,
  CONNECTION_ERRORS,
  LISTEN_OVERFLOW,
  RANDOM_READS,
  BIMODAL_READS,
  FAILED_OPEN_STORM,
  STAT_STORM,
  REOPEN_SAME_FILE,
  PROCESS_STARTUP,
  BUSY_POLL,
  FUTEX_CONTENTION,
  SLEEP_LOOP,
  MEMORY_CHURN,
  BLOCKING_NETWORK,
  DOMINANT_SYSCALL,
  MULTIMODAL_SYSCALL,
  FAILING_SYSCALL,
] as const;

// Any rule's finding: the union of the rules' finding types, told apart by `rule`.
export type AnyFinding = ReturnType<(typeof FINDING_RULES)[number]['run']>[number];

// A rule id, as the findings carry it.
export type RuleId = AnyFinding['rule'];

// The finding of one rule.
export type FindingOf<R extends RuleId> = Extract<AnyFinding, { readonly rule: R }>;

// The rule ids, in FINDING_RULES order.
export const RULE_IDS: readonly RuleId[] = FINDING_RULES.map((r) => r.id);

// The generic rules: their findings are dropped when a specific rule has a finding about the same syscall.
export const GENERIC_RULES: ReadonlySet<string> = new Set(FINDING_RULES.filter((r) => r.generic).map((r) => r.id));

// Every finding of an analysed capture (all rules, ranked by estimated saving):
// what the report and the live view show.
export function findingsOf(analysis: CaptureAnalysis): AnyFinding[] {
  return findingsWith(analysis, FINDING_RULES);
}
