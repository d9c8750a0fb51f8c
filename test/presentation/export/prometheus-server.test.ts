import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { startMetricsServer, type MetricsServer } from '../../../src/presentation/export/prometheus-server.js';
import { PROMETHEUS_CONTENT_TYPE } from '../../../src/presentation/export/prometheus-text.js';

const open: MetricsServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function serve(text: () => string): Promise<{ server: MetricsServer; base: string }> {
  const server = await startMetricsServer({ host: '127.0.0.1', port: 0 }, text);
  open.push(server);
  return { server, base: `http://127.0.0.1:${server.address.port}` };
}

describe('metrics server', () => {
  it('serves /metrics in the text format, an index at /, and 404 elsewhere', async () => {
    let n = 0;
    const { base } = await serve(() => `x_total ${++n}\n`);
    const m = await fetch(`${base}/metrics`);
    expect(m.status).toBe(200);
    expect(m.headers.get('content-type')).toBe(PROMETHEUS_CONTENT_TYPE);
    expect(await m.text()).toBe('x_total 1\n');
    // rendered on every scrape
    expect(await (await fetch(`${base}/metrics?x=1`)).text()).toBe('x_total 2\n');
    const index = await fetch(`${base}/`);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('/metrics');
    expect((await fetch(`${base}/favicon.ico`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('answers 500 with one line when rendering fails, and keeps serving', async () => {
    let fail = true;
    const { base } = await serve(() => {
      if (fail) throw new Error('boom');
      return 'ok 1\n';
    });
    const bad = await fetch(`${base}/metrics`);
    expect(bad.status).toBe(500);
    expect(await bad.text()).toBe('cannot render metrics: boom\n');
    fail = false;
    expect(await (await fetch(`${base}/metrics`)).text()).toBe('ok 1\n');
  });

  it('refuses a port in use with a UsageError naming the address', async () => {
    const { server } = await serve(() => '');
    const again = startMetricsServer({ host: '127.0.0.1', port: server.address.port }, () => '');
    await expect(again).rejects.toThrow(UsageError);
    await expect(again).rejects.toThrow(`--prometheus 127.0.0.1:${server.address.port}: address already in use`);
  });

  it('refuses an address that is not on this machine', async () => {
    await expect(startMetricsServer({ host: '192.0.2.1', port: 9464 }, () => '')).rejects.toThrow(/no such address on this machine/);
  });
});
