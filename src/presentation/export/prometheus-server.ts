// The HTTP server Prometheus scrapes: /metrics, a small index page at /, 404 elsewhere.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../../core/errors.js';
import { formatAddress, type ListenAddress } from './address.js';
import { PROMETHEUS_CONTENT_TYPE } from './prometheus-text.js';

// A running metrics server.
export interface MetricsServer {
  // the address it really listens on (port 0 resolved)
  readonly address: ListenAddress;
  close(): Promise<void>;
}

const INDEX = `syscall-prof agent

/metrics   syscall latency histograms and counters (Prometheus text format 0.0.4)
`;

// Starts listening; a port in use or an address that is not ours is a UsageError (exit 2).
export async function startMetricsServer(address: ListenAddress, metricsText: () => string): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
      return;
    }
    if (path === '/metrics') {
      let body: string;
      try {
        body = metricsText();
      } catch (err) {
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`cannot render metrics: ${(err as Error).message}\n`);
        return;
      }
      res.writeHead(200, { 'Content-Type': PROMETHEUS_CONTENT_TYPE, 'Content-Length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    if (path === '/') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }).end(INDEX);
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found: try /metrics\n');
  });
  // a scraper that stalls must not keep the agent from exiting
  server.keepAliveTimeout = 5000;
  await listen(server, address);
  const bound = server.address() as AddressInfo;
  return {
    address: { host: address.host, port: bound.port },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function listen(server: Server, address: ListenAddress): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      reject(new UsageError(`--prometheus ${formatAddress(address)}: ${reason(err)}`, { cause: err }));
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(address.port, address.host);
  });
}

function reason(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'EADDRINUSE':
      return 'address already in use (is another agent or exporter running?)';
    case 'EADDRNOTAVAIL':
      return 'no such address on this machine';
    case 'EACCES':
      return 'permission denied to listen there';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'cannot resolve the host name';
    default:
      return err.message;
  }
}
