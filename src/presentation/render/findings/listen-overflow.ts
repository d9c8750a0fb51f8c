// The words of the listen-overflow rule.
import type { ListenOverflowFinding } from '../../../core/analysis/rules/listen-overflow.js';
import { formatCount } from '../units.js';
import { plural, type FindingText } from './text.js';

// Handshakes dropped at a full accept queue while a server was traced.
export function listenOverflowText(f: ListenOverflowFinding): FindingText {
  const { overflows, drops, accepts } = f.metrics;
  return {
    title: `The listen queue overflowed: ${formatCount(drops)} connection attempt${plural(drops)} dropped at the listener`,
    evidence: [
      `ListenOverflows +${formatCount(overflows)}, ListenDrops +${formatCount(drops)} (TcpExt, this network namespace) while ${formatCount(accepts)} connection${plural(accepts)} were accepted`,
    ],
    why: 'When the accept queue is full the kernel drops the handshake; the client retransmits its SYN after 1 s, then 3 s, 7 s: latency its users feel that no syscall of the server shows (its accept() is never even called for them).',
    recommendation: [
      'Accept faster: more accepting threads or processes, or accept in a loop until EAGAIN on each wake-up',
      'Raise the backlog: the listen(fd, N) argument (nginx listen ... backlog=N, Redis tcp-backlog) and net.core.somaxconn, which caps it',
      'Check net.ipv4.tcp_max_syn_backlog for SYN floods of the half-open queue',
    ],
  };
}
