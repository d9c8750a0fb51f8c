// Option value parsers of the exporter options (--prometheus, --labels, --otlp);
// they throw InvalidArgumentError (exit 2).
import { isIP } from 'node:net';
import { InvalidArgumentError } from 'commander';
import type { ListenAddress } from '../presentation/export/address.js';
import { LABEL_NAMES, type LabelName } from '../presentation/export/labels.js';

// The host used when the address names none: loopback, never every interface by accident.
export const DEFAULT_HOST = '127.0.0.1';

// Parses a --prometheus listen address (HOST:PORT, [IPV6]:PORT, :PORT or PORT: loopback); throws InvalidArgumentError (a usage error) on anything else.
export function parseListenAddress(text: string): ListenAddress {
  const t = text.trim();
  let host = DEFAULT_HOST;
  let portText: string;
  const v6 = /^\[([^\]]+)\]:(\d+)$/.exec(t);
  if (v6 !== null) {
    host = v6[1]!;
    portText = v6[2]!;
    if (isIP(host) !== 6) throw new InvalidArgumentError(`"${host}" is not an IPv6 address.`);
  } else if (/^\d+$/.test(t)) {
    portText = t;
  } else {
    const colon = t.lastIndexOf(':');
    if (colon < 0) throw new InvalidArgumentError('expected HOST:PORT, :PORT or PORT (e.g. 127.0.0.1:9464).');
    portText = t.slice(colon + 1);
    const h = t.slice(0, colon);
    if (h !== '') host = h;
    if (h.includes(':')) throw new InvalidArgumentError('put an IPv6 address in brackets: [::1]:9464.');
    if (isIP(host) === 0 && !/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(host)) {
      throw new InvalidArgumentError(`"${host}" is not a host name or IP address.`);
    }
  }
  const port = Number(portText);
  // port 0: any free port (the log line says which)
  if (!/^\d+$/.test(portText) || port > 65535) throw new InvalidArgumentError(`port "${portText}" is not a number from 0 to 65535.`);
  return { host, port };
}

// Parses `--labels syscall,category,comm` (order-insensitive, output keeps LABEL_NAMES order).
export function parseLabels(text: string): LabelName[] {
  const wanted = new Set<string>();
  for (const raw of text.split(',')) {
    const name = raw.trim();
    if (name === '') continue;
    if (!(LABEL_NAMES as readonly string[]).includes(name)) {
      throw new InvalidArgumentError(`unknown label "${name}" (choose from ${LABEL_NAMES.join(', ')}).`);
    }
    wanted.add(name);
  }
  if (wanted.size === 0) throw new InvalidArgumentError(`no labels given (choose from ${LABEL_NAMES.join(', ')}).`);
  return LABEL_NAMES.filter((n) => wanted.has(n));
}

// The OTLP/HTTP metrics path appended to a base URL.
export const OTLP_METRICS_PATH = '/v1/metrics';

// "http://127.0.0.1:4318" -> "http://127.0.0.1:4318/v1/metrics"; a URL with a path is kept as given.
export function parseOtlpUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new InvalidArgumentError('expected an http:// or https:// URL (e.g. http://127.0.0.1:4318).');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError(`${url.protocol.replace(/:$/, '')} is not supported: OTLP/HTTP needs http:// or https://.`);
  }
  if (url.pathname === '/' || url.pathname === '') url.pathname = OTLP_METRICS_PATH;
  return url.toString();
}
