import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseLabels, parseListenAddress, parseOtlpUrl } from '../../src/cli/export-parsers.js';
import { formatAddress } from '../../src/presentation/export/address.js';

describe('--prometheus addresses', () => {
  it.each([
    ['127.0.0.1:9464', '127.0.0.1', 9464],
    [':9464', '127.0.0.1', 9464],
    ['9464', '127.0.0.1', 9464],
    ['0.0.0.0:9100', '0.0.0.0', 9100],
    ['localhost:80', 'localhost', 80],
    ['[::1]:9464', '::1', 9464],
    ['[::]:9464', '::', 9464],
    ['127.0.0.1:0', '127.0.0.1', 0],
  ])('%s -> %s port %d', (text, host, port) => {
    expect(parseListenAddress(text)).toEqual({ host, port });
  });

  it.each([
    ['foo', /HOST:PORT/],
    ['127.0.0.1:65536', /port "65536"/],
    ['127.0.0.1:', /port ""/],
    ['::1:9464', /brackets/],
    ['[nope]:9464', /not an IPv6/],
    ['bad host!:9464', /not a host name/],
  ])('rejects %s', (text, message) => {
    expect(() => parseListenAddress(text)).toThrow(InvalidArgumentError);
    expect(() => parseListenAddress(text)).toThrow(message);
  });

  it('formats addresses back', () => {
    expect(formatAddress({ host: '::1', port: 1 })).toBe('[::1]:1');
    expect(formatAddress({ host: '127.0.0.1', port: 2 })).toBe('127.0.0.1:2');
  });
});

describe('--labels', () => {
  it.each([
    ['syscall', ['syscall']],
    ['comm,syscall', ['syscall', 'comm']],
    ['syscall, category ,container,', ['syscall', 'category', 'container']],
    ['service,cgroup,comm,category,syscall,container', ['syscall', 'category', 'comm', 'cgroup', 'container', 'service']],
  ])('%s -> %o', (text, labels) => {
    expect(parseLabels(text)).toEqual(labels);
  });

  it.each([['pid'], [''], [',']])('rejects %o', (text) => {
    expect(() => parseLabels(text)).toThrow(InvalidArgumentError);
  });
});

describe('--otlp', () => {
  it.each([
    ['http://127.0.0.1:4318', 'http://127.0.0.1:4318/v1/metrics'],
    ['http://127.0.0.1:4318/', 'http://127.0.0.1:4318/v1/metrics'],
    ['https://otel.example:4318/custom/path', 'https://otel.example:4318/custom/path'],
  ])('%s -> %s', (text, url) => {
    expect(parseOtlpUrl(text)).toBe(url);
  });

  it.each([['127.0.0.1:4318'], ['grpc://x:4317'], ['not a url']])('rejects %s', (text) => {
    expect(() => parseOtlpUrl(text)).toThrow(InvalidArgumentError);
  });
});
