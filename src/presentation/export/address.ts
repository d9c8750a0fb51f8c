// The listen address of --prometheus: HOST:PORT, [IPV6]:PORT, :PORT or PORT (loopback).
import { isIP } from 'node:net';
import { InvalidArgumentError } from 'commander';

// Where the metrics server listens.
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

// The host used when the address names none: loopback, never every interface by accident.
export const DEFAULT_HOST = '127.0.0.1';

// Parses a listen address; throws InvalidArgumentError (a usage error) on anything else.
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

// "127.0.0.1:9464" / "[::1]:9464".
export function formatAddress(a: ListenAddress): string {
  return isIP(a.host) === 6 ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}
