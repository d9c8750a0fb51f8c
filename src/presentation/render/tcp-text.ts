// The "TCP connections" block under the syscall table: the kernel's figures per process and port.
import type { TcpRow } from '../../core/analysis/tcp-rows.js';
import type { Palette } from './color.js';
import { textTable } from './text-table.js';
import { formatCount, formatDuration } from './units.js';

// "connect 127.0.0.1-style" words for where a row's connections went or came in.
export function tcpPeerLabel(r: Pick<TcpRow, 'direction' | 'family' | 'port'>): string {
  return `${r.direction === 'connect' ? 'to' : 'on'} ${r.family}:${r.port}`;
}

// The block's lines (title first); empty when there are no rows.
export function renderTcpBlock(rows: readonly TcpRow[], p: Palette): string[] {
  if (rows.length === 0) return [];
  const table = textTable(
    [
      { title: 'PROCESS', align: 'left' },
      { title: 'PEER', align: 'left' },
      { title: 'CONNS', align: 'right' },
      { title: 'FAILED', align: 'right' },
      { title: 'HANDSHAKE P50', align: 'right' },
      { title: 'P99', align: 'right' },
      { title: 'CLOSED', align: 'right' },
      { title: 'RESETS', align: 'right' },
      { title: 'OPEN', align: 'right' },
      { title: 'RETRANS', align: 'right' },
    ],
    rows.map((r) => [
      `${r.comm || '?'} (${r.tgid})`,
      tcpPeerLabel(r),
      formatCount(r.established),
      r.failed > 0 ? { text: formatCount(r.failed), paint: p.bad } : '0',
      r.direction === 'accept' ? '-' : formatDuration(r.handshakeP50Ns),
      r.direction === 'accept' ? '-' : formatDuration(r.handshakeP99Ns),
      formatCount(r.closed),
      r.resets > 0 ? { text: formatCount(r.resets), paint: p.warn } : '0',
      formatCount(r.open),
      r.retransmits > 0 ? { text: formatCount(r.retransmits), paint: p.warn } : '0',
    ]),
    p.dim,
  );
  return [
    `${p.strong('TCP connections')} ${p.dim('(from the kernel: handshake = SYN sent to established, accepted connections are not timed)')}`,
    ...table,
  ];
}
