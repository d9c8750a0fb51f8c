// Loopback helpers for the tests that run an HTTP endpoint (the agent's /metrics, OTLP receivers).
import { createServer } from 'node:net';

// A TCP port free on 127.0.0.1 right now.
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
