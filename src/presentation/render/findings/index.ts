// Findings in words: one words function per rule (a module each, beside the
// rule's own in core/analysis/rules/), looked up by rule id.
import type { Finding } from '../../../core/analysis/findings.js';
import type { FindingOf, RuleId } from '../../../core/analysis/rules/index.js';
import { bimodalReadsText } from './bimodal-reads.js';
import { blockingNetworkText } from './blocking-network.js';
import { busyPollText } from './busy-poll.js';
import { connectionChurnText, connectionErrorsText, nagleStallText, slowFirstByteText } from './connections.js';
import { dominantSyscallText } from './dominant-syscall.js';
import { failedOpenStormText } from './failed-open-storm.js';
import { failingSyscallText } from './failing-syscall.js';
import { futexContentionText } from './futex-contention.js';
import { ioUringCqOverflowText, ioUringDepthOneText, ioUringFsyncPerWriteText, ioUringPuntsText, ioUringSmallSubmissionsText } from './io-uring.js';
import { listenOverflowText } from './listen-overflow.js';
import { memoryChurnText } from './memory-churn.js';
import { multimodalSyscallText } from './multimodal-syscall.js';
import { osyncWritesText } from './osync-writes.js';
import { processStartupText } from './process-startup.js';
import { randomReadsText } from './random-reads.js';
import { reopenSameFileText } from './reopen-same-file.js';
import { requestResponseText } from './request-response.js';
import { sleepLoopText } from './sleep-loop.js';
import { smallReadsText, smallWritesText } from './small-io.js';
import { statStormText } from './stat-storm.js';
import { syncDominantText } from './sync-dominant.js';
import type { FindingText } from './text.js';
import { topStackEvidence } from '../stack-words.js';

export type { FindingText } from './text.js';

// The words of every rule, by id (the type makes a rule without words an error).
export const FINDING_WORDS: { readonly [R in RuleId]: (f: FindingOf<R>) => FindingText } = {
  'sync-dominant': syncDominantText,
  'osync-writes': osyncWritesText,
  'io-uring-fsync-per-write': ioUringFsyncPerWriteText,
  'io-uring-punts': ioUringPuntsText,
  'io-uring-depth-one': ioUringDepthOneText,
  'io-uring-small-submissions': ioUringSmallSubmissionsText,
  'io-uring-cq-overflow': ioUringCqOverflowText,
  'small-writes': smallWritesText,
  'small-reads': smallReadsText,
  'request-response': requestResponseText,
  'connection-churn': connectionChurnText,
  'nagle-stall': nagleStallText,
  'slow-first-byte': slowFirstByteText,
  'connection-errors': connectionErrorsText,
  'listen-overflow': listenOverflowText,
  'random-reads': randomReadsText,
  'bimodal-reads': bimodalReadsText,
  'failed-open-storm': failedOpenStormText,
  'stat-storm': statStormText,
  'reopen-same-file': reopenSameFileText,
  'process-startup': processStartupText,
  'busy-poll': busyPollText,
  'futex-contention': futexContentionText,
  'sleep-loop': sleepLoopText,
  'memory-churn': memoryChurnText,
  'blocking-network': blockingNetworkText,
  'dominant-syscall': dominantSyscallText,
  'multimodal-syscall': multimodalSyscallText,
  'failing-syscall': failingSyscallText,
};

// A finding in words. A finding carries the data its rule's words read; one of
// a rule this table does not know (another tool's) is named by its id alone.
export function findingText(f: Finding): FindingText {
  const words = (FINDING_WORDS as Partial<Record<string, (f: never) => FindingText>>)[f.rule];
  // (words: the rule's own finding type, its rule made it)
  const text = words === undefined ? { title: f.syscall === null ? f.rule : `${f.rule}: ${f.syscall}()`, evidence: [], why: '', recommendation: [] } : words(f as never);
  // with stacks, the path that holds most of the syscall's slow time is evidence too
  return f.topStack === undefined ? text : { ...text, evidence: [...text.evidence, topStackEvidence(f.topStack)] };
}
