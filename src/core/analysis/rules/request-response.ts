// Rule request-response: sockets that carry one small request and one small
// response at a time -> batch requests per round trip (pipelining).
//
// A socket read and written about as often (small-io.ts isRequestResponse)
// carries request/response traffic: each request costs a read (and, on a
// non-blocking socket, the read that ends in EAGAIN), a write, and a wakeup of
// the event loop, whatever the size of the request. A buffer cannot help (the
// response must go before the next request comes); sending several requests
// before reading the responses can (Redis pipelining or MULTI, PostgreSQL
// pipeline mode, batched statements, HTTP/2 multiplexing), and it is the
// protocol's and the client's business. One finding for all such sockets.
//
// Fires with at least REQUEST_RESPONSE_MIN requests (exchanges: the smaller of
// the successful reads and writes) whose responses average below
// SMALL_RESPONSE_BYTES. Needs per-call facts. Saving: with PIPELINE_DEPTH
// requests per round trip the read and write calls are shared by that many
// requests: (read + write time on those sockets) x (1 - 1/PIPELINE_DEPTH).
import type { IoStreamStats } from '../facts/io-streams.js';
import { finding, type Finding, type FindingContext, type FindingRule } from '../findings.js';
import { wallShare } from './measure.js';
import { isRequestResponse } from './small-io.js';

// At least this many requests over all request/response sockets...
export const REQUEST_RESPONSE_MIN = 1000;
// ...whose responses average below this many bytes (larger responses amortize their calls).
export const SMALL_RESPONSE_BYTES = 16 * 1024;
// The requests per round trip the saving assumes (redis-benchmark -P 16, a modest pipeline).
export const PIPELINE_DEPTH = 16;

// What a request-response finding is about: the busiest socket, and how many there are.
export interface RequestResponseSubject {
  readonly pid: number | null;
  readonly fd: number | null;
  readonly path: string | null;
  // request/response sockets in all (the busiest included), and the processes they belong to
  readonly sockets: number;
  readonly processes: number;
}

// A request-response finding's numbers.
export type RequestResponseMetrics = {
  readonly requests: number;
  // read and write calls on those sockets, failed reads (EAGAIN at the end of a read loop) included
  readonly calls: number;
  readonly callsPerRequest: number;
  readonly failedReads: number;
  // time in those calls, and per request
  readonly totalNs: number;
  readonly nsPerRequest: number;
  readonly wallShare: number | null;
  readonly requestBytes: number;
  readonly responseBytes: number;
  readonly pipelineDepth: number;
};

// A request-response finding.
export type RequestResponseFinding = Finding<'request-response', RequestResponseSubject, RequestResponseMetrics>;

// Request/response sockets: batch requests per round trip.
export function requestResponse(ctx: FindingContext): RequestResponseFinding[] {
  if (ctx.facts === null) return [];
  const streams = ctx.facts.fds.rows.filter(isRequestResponse);
  if (streams.length === 0) return [];
  let requests = 0;
  let calls = 0;
  let failedReads = 0;
  let totalNs = 0;
  let readBytes = 0;
  let readOps = 0;
  let writeBytes = 0;
  let writeOps = 0;
  const pids = new Set<number>();
  let top: IoStreamStats = streams[0]!;
  for (const s of streams) {
    requests += Math.min(s.reads.ops, s.writes.ops);
    calls += s.reads.ops + s.reads.failed + s.writes.ops + s.writes.failed;
    failedReads += s.reads.failed;
    totalNs += s.reads.totalNs + s.writes.totalNs;
    readBytes += s.reads.bytes;
    readOps += s.reads.ops;
    writeBytes += s.writes.bytes;
    writeOps += s.writes.ops;
    if (s.pid !== null) pids.add(s.pid);
    if (s.reads.totalNs + s.writes.totalNs > top.reads.totalNs + top.writes.totalNs) top = s;
  }
  const responseBytes = writeOps > 0 ? writeBytes / writeOps : 0;
  if (requests < REQUEST_RESPONSE_MIN || responseBytes >= SMALL_RESPONSE_BYTES) return [];
  return [
    finding<RequestResponseFinding>(ctx, {
      rule: 'request-response',
      syscall: top.writes.syscall ?? top.reads.syscall,
      ...(top.reads.syscall !== null && top.reads.syscall !== top.writes.syscall ? { alsoAbout: [top.reads.syscall] } : {}),
      subject: { pid: top.pid, fd: top.fd, path: top.path, sockets: streams.reduce((n, s) => n + s.fds, 0), processes: pids.size },
      metrics: {
        requests,
        calls,
        callsPerRequest: calls / requests,
        failedReads,
        totalNs,
        nsPerRequest: totalNs / requests,
        wallShare: wallShare(ctx, totalNs),
        requestBytes: readOps > 0 ? readBytes / readOps : 0,
        responseBytes,
        pipelineDepth: PIPELINE_DEPTH,
      },
      savingNs: totalNs * (1 - 1 / PIPELINE_DEPTH),
    }),
  ];
}

// The rule's registry entry.
export const REQUEST_RESPONSE: FindingRule<RequestResponseFinding> = { id: 'request-response', generic: false, run: requestResponse };
