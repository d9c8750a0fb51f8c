// The words of blocking-network.
import type { BlockingNetworkFinding } from '../../../core/analysis/rules/blocking-network.js';
import { formatCount, formatDuration } from '../units.js';
import { ofWall, plural, type FindingText } from './text.js';

// Blocking network calls on the hot path.
export function blockingNetworkText(f: BlockingNetworkFinding): FindingText {
  const m = f.metrics;
  return {
    title: `${formatCount(m.blockingCalls)} blocking network calls took ${formatDuration(m.blockingNs)}`,
    evidence: [
      `${formatCount(m.blockingCalls)} calls on blocking sockets took ${formatDuration(m.blockingCallMinNs)} or more: ${formatDuration(m.blockingNs)} in all${ofWall(m.wallShare)}`,
      `On ${formatCount(m.sockets)} socket${plural(m.sockets)} from ${formatCount(m.threads)} thread${plural(m.threads)}: ${f.subject.bySyscall.map((s) => `${s.syscall} ${formatCount(s.calls)} (${formatDuration(s.totalNs)})`).join(', ')}`,
      `${formatCount(m.nonBlockingCalls)} of ${formatCount(m.socketCalls)} socket calls were on non-blocking sockets`,
    ],
    why: 'A thread blocked on the network does nothing else until the peer answers, so requests are served one round trip at a time.',
    recommendation: [
      'Use non-blocking sockets with an event loop (epoll) or io_uring, so one thread keeps several requests in flight',
      'Pipeline or batch requests to the same peer, and reuse connections instead of connecting per request',
      'Set timeouts so one slow peer cannot stall the thread',
    ],
  };
}
