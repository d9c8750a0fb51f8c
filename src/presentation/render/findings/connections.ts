// The words of the connection rules: connection-churn, nagle-stall,
// slow-first-byte, connection-errors.
import type { ConnectionChurnFinding } from '../../../core/analysis/rules/connection-churn.js';
import type { ConnectionErrorsFinding } from '../../../core/analysis/rules/connection-errors.js';
import type { NagleStallFinding } from '../../../core/analysis/rules/nagle-stall.js';
import type { SlowFirstByteFinding } from '../../../core/analysis/rules/slow-first-byte.js';
import { connectionGroupLabel } from '../connection-words.js';
import { formatCount, formatDuration, formatPercent, formatRate } from '../units.js';
import { ofWall, plural, type FindingText } from './text.js';

// Many short connections to one peer.
export function connectionChurnText(f: ConnectionChurnFinding): FindingText {
  const m = f.metrics;
  const top = f.subject.groups[0]!;
  const inbound = top.direction === 'inbound';
  const more = f.subject.groupCount - f.subject.groups.length;
  const perConnection = (n: number): string => `${n.toFixed(1)} request${n.toFixed(1) === '1.0' ? '' : 's'} each`;
  return {
    title: `${formatCount(m.connections)} short connection${plural(m.connections)} (${perConnection(top.requestsPerConnection)}): ${connectionGroupLabel(top)}`,
    evidence: [
      ...f.subject.groups.map(
        (g) =>
          `${connectionGroupLabel(g)}: ${formatCount(g.connections)} connections, ${perConnection(g.requestsPerConnection)}, at most ${formatCount(g.maxConcurrent)} open at once${g.lifetimeP50Ns === null ? '' : `, median lifetime ${formatDuration(g.lifetimeP50Ns)}`}${g.connectP50Ns === null ? '' : `, median connect ${formatDuration(g.connectP50Ns)}`}; opening and closing cost ${formatDuration(g.nsPerConnection)} each`,
      ),
      ...(more > 0 ? [`... and ${formatCount(more)} more group${plural(more)} of short connections`] : []),
      `Opening and closing them took ${formatDuration(m.costNs)}${ofWall(m.wallShare)}${m.connectionsPerSec === null ? '' : `, ${formatRate(m.connectionsPerSec)} connections a second`}; ${formatCount(m.avoidable)} of them would not be needed if connections were reused (all but the most open at once)`,
    ],
    why: inbound
      ? 'Every client connection costs an accept, the socket set-up in the kernel and a close, and the client a TCP handshake before its request can go: for one request per connection that is paid every time.'
      : 'Every new connection costs a socket, a TCP handshake (one round trip before the request can go), and a close; reusing a connection pays that once for many requests.',
    recommendation: inbound
      ? [
          'Have the clients keep connections alive: HTTP/1.1 keep-alive (no "Connection: close"), a connection pool in the client library, or long-lived connections (Redis and PostgreSQL clients: a pool, pgbouncer)',
          'On the server, allow it: keep-alive enabled with a timeout longer than the clients\' gaps between requests (nginx keepalive_timeout, keepalive_requests)',
        ]
      : [
          'Keep connections alive and reuse them: HTTP keep-alive (drop "Connection: close"), a connection pool in the client library (database and Redis clients), a persistent HTTP agent',
          `A pool of ${formatCount(top.maxConcurrent)} connection${plural(top.maxConcurrent)} carried the same concurrency here (the saving assumes that)`,
        ],
  };
}

// Small writes held back by Nagle until a delayed ACK.
export function nagleStallText(f: NagleStallFinding): FindingText {
  const m = f.metrics;
  return {
    title: `${formatCount(m.stalls)} request${plural(m.stalls)} written in small pieces waited ~${formatDuration(m.nsPerStall)} each for a delayed ACK (Nagle)`,
    evidence: [
      ...f.subject.groups.map(
        (g) =>
          `${connectionGroupLabel(g)}: ${formatCount(g.stalls)} of ${formatCount(g.splitRequests)} requests written in two or more small writes were answered ${formatDuration(f.metrics.stallMinNs)} or more after the last write${g.wholeResponseP50Ns === null ? '' : `; ${formatCount(g.wholeRequests)} written in one write were answered in ${formatDuration(g.wholeResponseP50Ns)} (median)`}`,
      ),
      `The reads waiting for those responses took ${formatDuration(m.stallReadNs)}`,
    ],
    why: "With Nagle's algorithm on, a small write is held back while earlier data is unacknowledged, and the peer delays its ACK (40 ms on Linux) while it waits for the rest of the request: each split request waits for that timer.",
    recommendation: [
      'Write each request with one call (build it in a buffer, or writev the pieces)',
      'Or set TCP_NODELAY on the socket (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, 1)) when the protocol writes in pieces on purpose',
    ],
  };
}

// First responses slow against the network's round trip.
export function slowFirstByteText(f: SlowFirstByteFinding): FindingText {
  const top = f.subject.groups[0]!;
  return {
    title: `The first response takes ${formatDuration(top.firstResponseP50Ns)} (median) on connections ${connectionGroupLabel({ ...top, direction: 'outbound' })}: the server's time, not the network's`,
    evidence: f.subject.groups.map(
      (g) =>
        `${connectionGroupLabel({ ...g, direction: 'outbound' })}: first response ${formatDuration(g.firstResponseP50Ns)} median, ${formatDuration(g.firstResponseP99Ns)} p99 after the request was written, over ${formatCount(g.connections)} connections; ${g.connectP50Ns === null ? 'no connect measured to compare with' : `a connect (one round trip) took ${formatDuration(g.connectP50Ns)}, so about ${formatDuration(g.serverNs)} is the server's`}`,
    ),
    why: 'The client waits on the server here: the network round trip is a small part of the time to first byte, so the time is the server\'s think time (or its queue). Nothing in this process would shorten it.',
    recommendation: [
      'Profile the server side of this connection (its handler, its own I/O, its queue) - trace it with syscall-prof too',
      'If the answer can be cached or precomputed, do that; send several requests concurrently if they do not depend on each other',
    ],
  };
}

// Connections refused, reset or timed out.
export function connectionErrorsText(f: ConnectionErrorsFinding): FindingText {
  const m = f.metrics;
  const parts = (g: { refused: number; reset: number; timedOut: number; connectFailed: number }): string =>
    [
      [g.refused, 'refused'],
      [g.reset, 'reset'],
      [g.timedOut, 'timed out'],
      [g.connectFailed, 'failed to connect'],
    ]
      .filter(([n]) => (n as number) > 0)
      .map(([n, w]) => `${formatCount(n as number)} ${w as string}`)
      .join(', ');
  const more = f.subject.groupCount - f.subject.groups.length;
  return {
    title: `${formatCount(m.failed)} connection${plural(m.failed)} ended in an error (${parts(m)})`,
    evidence: [
      ...f.subject.groups.map((g) => `${connectionGroupLabel(g)}: ${parts(g)} of ${formatCount(g.connections)} connections`),
      ...(more > 0 ? [`... and ${formatCount(more)} more group${plural(more)}`] : []),
      `${formatPercent(m.failedShare)} of those groups' connections`,
    ],
    why: 'A refused connect means nothing listens (or the backlog is full); a reset means the peer dropped the connection (crash, restart, a proxy or load balancer timeout, writing after the peer closed); a timeout means packets went unanswered. Each costs a retry or a failed request.',
    recommendation: [
      'Refused: check the service is up and its listen backlog is large enough (listen(2) backlog, net.core.somaxconn)',
      'Reset or timed out: compare the idle time of the connections with the peer\'s and any proxy\'s idle timeout; validate pooled connections before use',
    ],
  };
}
