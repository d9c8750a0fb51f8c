import { describe, expect, it } from 'vitest';
import { decodeSockaddr, formatIpv6 } from '../../../src/core/capture/sockaddr.js';

// struct sockaddr_in / sockaddr_in6 / sockaddr_un bytes as the kernel hands them over
const inet = (port: number, a: number, b: number, c: number, d: number) => Uint8Array.from([2, 0, port >> 8, port & 0xff, a, b, c, d, 0, 0, 0, 0, 0, 0, 0, 0]);
const inet6 = (port: number, addr: number[]) => Uint8Array.from([10, 0, port >> 8, port & 0xff, 0, 0, 0, 0, ...addr, 0, 0, 0, 0]);
const unix = (path: string, pad = 0) => Uint8Array.from([1, 0, ...Buffer.from(path, 'latin1'), ...new Array<number>(pad).fill(0)]);

describe('decodeSockaddr', () => {
  it.each<[string, Uint8Array, string | null]>([
    ['IPv4 loopback', inet(5432, 127, 0, 0, 1), '127.0.0.1:5432'],
    ['IPv4 any, port 80', inet(80, 0, 0, 0, 0), '0.0.0.0:80'],
    ['IPv4 high port', inet(65535, 10, 1, 2, 3), '10.1.2.3:65535'],
    ['IPv6 loopback', inet6(443, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]), '[::1]:443'],
    ['IPv6 any', inet6(8080, new Array<number>(16).fill(0)), '[::]:8080'],
    ['IPv6 global', inet6(53, [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12, 0x34]), '[2001:db8::1234]:53'],
    ['IPv4-mapped IPv6', inet6(25, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 168, 0, 1]), '[::ffff:192.168.0.1]:25'],
    ['unix path', unix('/run/postgresql/.s.PGSQL.5432\0', 20), '/run/postgresql/.s.PGSQL.5432'],
    ['unix abstract', unix('\0my-socket', 5), '@my-socket'],
    ['unix unnamed', unix(''), ''],
    ['IPv4 too short', Uint8Array.from([2, 0, 0, 80, 127]), null],
    ['IPv6 too short', Uint8Array.from([10, 0, 0, 80, 0, 0, 0, 0, 1]), null],
    ['netlink', Uint8Array.from([16, 0, 0, 0]), null],
    ['empty', new Uint8Array(0), null],
  ])('%s', (_name, bytes, text) => {
    const decoded = decodeSockaddr(bytes);
    expect(decoded === null ? null : decoded.text).toBe(text);
  });
});

describe('formatIpv6', () => {
  it.each<[number[], string]>([
    [[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1], '2001:db8:0:1::1'],
    // a single zero group is not shortened; the longest run wins, the first of equals
    [[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1], '2001:db8:0:1:1:1:1:1'],
    [[0x20, 0x01, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1], '2001:0:0:1::1'],
    [[0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 'fe80::'],
  ])('%j', (bytes, text) => {
    expect(formatIpv6(Uint8Array.from(bytes))).toBe(text);
  });
});
