// The "TCP connections" block under the syscall table: the kernel's figures per process and port.
import type { TcpRow } from '../../core/analysis/tcp-rows.js';
import type { Palette } from './color.js';
import { markdownTable } from './markdown-table.js';
import { textTable } from './text-table.js';
import { formatCount, formatDuration } from './units.js';

// Where a row's connections went ("to ipv4:5432") or came in ("on ipv4:80").
export function tcpPeerLabel(r: Pick<TcpRow, 'direction' | 'family' | 'port'>): string {
  return `${r.direction === 'connect' ? 'to' : 'on'} ${r.family}:${r.port}`;
}

const TITLES = ['Process', 'Peer', 'Connections', 'Failed', 'Handshake p50', 'p99', 'Closed', 'Resets', 'Open', 'Retransmits'] as const;

function cells(r: TcpRow): string[] {
  const timed = r.direction === 'connect';
  return [
    `${r.comm || '?'} (${r.tgid})`,
    tcpPeerLabel(r),
    formatCount(r.established),
    formatCount(r.failed),
    timed ? formatDuration(r.handshakeP50Ns) : '-',
    timed ? formatDuration(r.handshakeP99Ns) : '-',
    formatCount(r.closed),
    formatCount(r.resets),
    formatCount(r.open),
    formatCount(r.retransmits),
  ];
}

// The report's markdown section: the kernel's figures beside the syscall-based Connections table.
export function tcpSection(rows: readonly TcpRow[]): string[] {
  if (rows.length === 0) return ['The traced processes made and accepted no TCP connections (the kernel saw none).'];
  return [
    ...markdownTable(
      TITLES.map((title, i) => ({ title, align: i < 2 ? 'left' : 'right' })),
      rows.map(cells),
    ),
    '',
    '_From the kernel\'s TCP state changes, for every connection of the traced processes whatever the event filters: the handshake is SYN sent to established (what a non-blocking connect() cannot show); accepted connections are counted at accept, not timed._',
  ];
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
