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

// The /metrics text of an agent at base (http://HOST:PORT), or null while it does not answer.
export async function scrape(base: string): Promise<string | null> {
  try {
    const r = await fetch(`${base}/metrics`);
    return r.ok ? await r.text() : null;
  } catch {
    return null;
  }
}

// The value of one sample line of a Prometheus text (name with its labels as written), or null.
export function sampleValue(text: string, sample: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line === undefined ? null : Number(line.split(' ').at(-1));
}

// Polls probe every 200 ms until it returns non-null; throws after ms.
export async function until<T>(what: string, probe: () => Promise<T | null>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
