// The Connections tables: per process, direction and endpoint, connections,
// connect and first-byte latencies, requests, bytes, lifetime and errors - in
// Markdown (report) and plain text (analyze --connections).
import { failedConnections, type ConnectionTable } from '../../core/analysis/connection-table.js';
import type { ConnectionGroup, LatencySummary } from '../../core/analysis/facts/connection-facts.js';
import type { Palette } from './color.js';
import { connectionGroupLabel } from './connection-words.js';
import { markdownTable, type MarkdownColumn } from './markdown-table.js';
import { escapeInline } from './report-markdown.js';
import { textTable, type Column } from './text-table.js';
import { formatBytes, formatCount, formatDuration } from './units.js';

const TITLES = ['Connections', 'Count', 'Connect p50/p99', 'TTFB p50/p99', 'Req/conn', 'Bytes in/out', 'Lifetime p50', 'Max idle', 'Errors'] as const;

// What the columns mean, said under each table.
export const CONNECTION_NOTES = [
  'Connect: from connect() to the connection being up (a non-blocking connect: until the process looked, with getsockopt(SO_ERROR) or its first read or write - an upper bound).',
  'TTFB: outbound, the first byte of the response after the request was written; inbound, the first byte of the request after accept() returned.',
  'Req/conn: request/response turns (outbound a write then a read, inbound a read then a write). Errors: refused, reset (ECONNRESET, EPIPE), timed out, other connect errors.',
];

// "1.2 ms / 4.5 ms", or "-".
function pair(s: LatencySummary | null): string {
  return s === null ? '-' : `${formatDuration(s.p50Ns)} / ${formatDuration(s.p99Ns)}`;
}

// "3 reset, 1 refused", or "0".
function errorsCell(g: ConnectionGroup): string {
  if (failedConnections(g) === 0) return '0';
  const parts: [number, string][] = [
    [g.outcomes.refused, 'refused'],
    [g.outcomes.reset, 'reset'],
    [g.outcomes['timed-out'], 'timed out'],
    [g.outcomes['connect-failed'], 'failed'],
  ];
  return parts
    .filter(([n]) => n > 0)
    .map(([n, w]) => `${formatCount(n)} ${w}`)
    .join(', ');
}

// The cells of one group.
export function connectionCells(g: ConnectionGroup): string[] {
  const ttfb = g.direction === 'outbound' ? g.firstResponse : g.firstByteIn;
  return [
    connectionGroupLabel(g),
    formatCount(g.connections),
    pair(g.connect),
    pair(ttfb),
    g.connections > 0 ? (g.requests / g.connections).toFixed(1) : '-',
    `${formatBytes(g.bytesIn)} / ${formatBytes(g.bytesOut)}`,
    g.lifetime === null ? '-' : formatDuration(g.lifetime.p50Ns),
    formatDuration(g.maxIdleNs),
    errorsCell(g),
  ];
}

// Sentences under a table: what was left out, what was not seen.
function tail(t: ConnectionTable): string[] {
  const out: string[] = [];
  if (t.omitted > 0) out.push(`... and ${formatCount(t.omitted)} more groups of connections (see analyze --connections --json).`);
  if (t.unknownOrigin > 0) out.push(`${formatCount(t.unknownOrigin)} connection${t.unknownOrigin === 1 ? ' was' : 's were'} used without being opened in the capture (inherited, passed over a unix socket, or older than the capture): listed as opened elsewhere, without connect or first-byte figures.`);
  if (t.untracked > 0) out.push(`${formatCount(t.untracked)} connections were not followed: too many open at once.`);
  if (t.foldedGroups > 0) out.push(`${formatCount(t.foldedGroups)} groups were folded into one (too many distinct endpoints).`);
  return out;
}

// The report's Connections section (Markdown lines).
export function connectionsSection(t: ConnectionTable | null): string[] {
  if (t === null) return ['_Connections need per-call events (a capture with events, not an aggregate one)._'];
  if (t.groups.length === 0) return ['No TCP or unix stream connections in this capture.'];
  const columns: MarkdownColumn[] = TITLES.map((title, i) => ({ title, align: i === 0 ? 'left' : 'right' }));
  return [
    ...markdownTable(columns, t.groups.map(connectionCells)),
    '',
    ...tail(t).map(escapeInline),
    ...(tail(t).length > 0 ? [''] : []),
    ...CONNECTION_NOTES.map((n) => `_${escapeInline(n)}_`),
  ];
}

// analyze --connections: the table in plain text.
export function connectionsText(t: ConnectionTable | null, p: Palette): string[] {
  const lines = [p.strong('Connections:'), p.dim('─'.repeat(52))];
  if (t === null) return [...lines, 'Connections need per-call events (this capture is an aggregate one).'];
  if (t.groups.length === 0) return [...lines, 'No TCP or unix stream connections in this capture.'];
  const columns: Column[] = TITLES.map((title, i) => ({ title, align: i === 0 ? 'left' : 'right' }));
  return [...lines, ...textTable(columns, t.groups.map(connectionCells), p.strong), ...tail(t).map((l) => p.dim(l)), ...CONNECTION_NOTES.map((n) => p.dim(n))];
}
