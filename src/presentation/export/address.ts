// The listen address of the metrics server, and how it is written.
import { isIP } from 'node:net';

// Where the metrics server listens.
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

// "127.0.0.1:9464" / "[::1]:9464".
export function formatAddress(a: ListenAddress): string {
  return isIP(a.host) === 6 ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}
