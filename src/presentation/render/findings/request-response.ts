// The words of request-response.
import type { RequestResponseFinding } from '../../../core/analysis/rules/request-response.js';
import { formatBytes, formatCount, formatDuration } from '../units.js';
import { ofWall, type FindingText } from './text.js';

// One request and one response per round trip on many sockets.
export function requestResponseText(f: RequestResponseFinding): FindingText {
  const m = f.metrics;
  const s = f.subject;
  const where = `${formatCount(s.sockets)} socket${s.sockets === 1 ? '' : 's'}${s.processes > 1 ? ` of ${formatCount(s.processes)} processes` : ''}`;
  const per = m.callsPerRequest.toFixed(1);
  return {
    title: `${formatCount(m.requests)} requests answered one round trip at a time on ${where}`,
    evidence: [
      `${formatCount(m.requests)} requests of ${formatBytes(m.requestBytes)} answered with ${formatBytes(m.responseBytes)} on average: ${formatCount(m.calls)} read and write calls, ${per} per request${m.failedReads > 0 ? ` (${formatCount(m.failedReads)} reads ended a read loop with EAGAIN)` : ''}`,
      `They took ${formatDuration(m.totalNs)}${ofWall(m.wallShare)}: ${formatDuration(m.nsPerRequest)} of syscalls per request, besides the event loop's wakeup for each`,
      `Busiest: ${s.path ?? 'a socket'}${s.pid === null ? '' : ` of PID ${s.pid}`}${s.fd === null ? '' : ` (fd ${s.fd})`}`,
    ],
    why: 'Each request is read, answered and written before the next one arrives, so every request pays its own read, write and wakeup, however small it is. A write buffer cannot help: the response has to go out before the client sends the next request.',
    recommendation: [
      `Send several requests per round trip: Redis pipelining (or MULTI/EXEC, MSET/MGET), PostgreSQL pipeline mode or batched statements, HTTP/2 multiplexing; ${m.pipelineDepth} requests per trip would share one read and one write (the saving assumes that)`,
      'This is a change in the client or the protocol use, not in the server: the server already answers each request with one read and one write',
    ],
  };
}
