import { describe, expect, it } from 'vitest';
import { connectionTable } from '../../../src/core/analysis/connection-table.js';
import { connectionChurn } from '../../../src/core/analysis/rules/connection-churn.js';
import { connectionErrors } from '../../../src/core/analysis/rules/connection-errors.js';
import { slowFirstByte } from '../../../src/core/analysis/rules/slow-first-byte.js';
import { palette } from '../../../src/presentation/render/color.js';
import { renderConnectionsJson } from '../../../src/presentation/render/connections-json.js';
import { connectionCells, connectionsSection, connectionsText } from '../../../src/presentation/render/connections-table.js';
import { connectionChurnText, connectionErrorsText, slowFirstByteText } from '../../../src/presentation/render/findings/connections.js';
import { shortConnections, sock } from '../../core/analysis/connection-events.js';
import { contextOf, factsOf } from '../../core/analysis/events.js';

const plain = palette(false);

describe('connection tables', () => {
  it('one line per group: label, count, connect and first-byte p50/p99, turns, bytes, lifetime, idle, errors', async () => {
    const facts = (await factsOf(shortConnections(3, { responseUs: 2_000 }))).connections;
    expect(connectionCells(facts.groups[0]!)).toEqual(['client -> 10.0.0.1:80', '3', '100 µs / 100 µs', '2.0 ms / 2.0 ms', '1.0', '1.5 KiB / 300 B', '2.2 ms', '10.0 µs', '0']);
    const md = connectionsSection(connectionTable(facts));
    expect(md[0]).toBe('| Connections | Count | Connect p50/p99 | TTFB p50/p99 | Req/conn | Bytes in/out | Lifetime p50 | Max idle | Errors |');
    expect(md[2]).toMatch(/^\| client -> 10\.0\.0\.1:80 \| 3 \|/);
    const text = connectionsText(connectionTable(facts), plain);
    expect(text[0]).toBe('Connections:');
    expect(text[3]).toMatch(/^client -> 10\.0\.0\.1:80 +3 +100 µs \/ 100 µs/);
  });

  it('marks sockets opened elsewhere and counts their errors', async () => {
    const events = [sock(7, 0, 10, 'read', [4, 0, 100], -104, 'socket:tcp 10.0.0.9:5432', 'worker'), sock(7, 20, 10, 'close', [4], 0, 'socket:tcp 10.0.0.9:5432', 'worker')];
    const t = connectionTable((await factsOf(events)).connections);
    expect(connectionCells(t.groups[0]!)[0]).toBe('worker <-> 10.0.0.9:5432 (opened elsewhere)');
    expect(connectionCells(t.groups[0]!)[8]).toBe('1 reset');
    expect(connectionsSection(t).join('\n')).toContain('1 connection was used without being opened in the capture');
  });

  it.each([
    ['no connections', false, 'No TCP or unix stream connections in this capture.'],
    ['no per-call facts', true, 'Connections need per-call events'],
  ] as const)('says so when there is nothing to show (%s)', async (_name, aggregate, words) => {
    const t = aggregate ? null : connectionTable((await factsOf([])).connections);
    expect(connectionsSection(t).join('\n')).toContain(words);
    expect(connectionsText(t, plain).join('\n')).toContain(words.replace('Connections need per-call events', 'Connections need per-call events'));
    expect(JSON.parse(renderConnectionsJson('x.csv', t))).toEqual({ format: 'syscall-prof/connections', version: 1, input: 'x.csv', connections: t === null ? null : { groups: [], omitted: 0, connections: 0, unknownOrigin: 0, untracked: 0, foldedGroups: 0 } });
  });
});

describe('connection findings in words', () => {
  it('churn: the groups, the cost and keep-alive', async () => {
    const [f] = connectionChurn(await contextOf(shortConnections(100), 1e9));
    const t = connectionChurnText(f!);
    expect(t.title).toBe('100 short connections (1.0 request each): client -> 10.0.0.1:80');
    expect(t.evidence[0]).toBe('client -> 10.0.0.1:80: 100 connections, 1.0 request each, at most 1 open at once, median lifetime 670 µs, median connect 100 µs; opening and closing cost 125 µs each');
    expect(t.recommendation[0]).toMatch(/^Keep connections alive/);
  });

  it('slow first byte and errors', async () => {
    const [s] = slowFirstByte(await contextOf(shortConnections(5, { responseUs: 200_000 }), 2e9));
    expect(slowFirstByteText(s!).title).toBe("The first response takes 200 ms (median) on connections client -> 10.0.0.1:80: the server's time, not the network's");
    const refused = Array.from({ length: 3 }, (_, k) => [sock(1, k * 100, 5, 'socket', [2, 1, 0], 3), sock(1, k * 100 + 10, 30, 'connect', [3, 0, 16], -111, 'socket:tcp 10.0.0.1:81'), sock(1, k * 100 + 50, 5, 'close', [3], 0, 'socket:tcp')]).flat();
    const [e] = connectionErrors(await contextOf(refused, 1e9));
    expect(connectionErrorsText(e!).title).toBe('3 connections ended in an error (3 refused)');
  });
});
