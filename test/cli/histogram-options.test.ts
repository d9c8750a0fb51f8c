import { describe, expect, it } from 'vitest';
import { checkSyscallName, parseBuckets, parseEdge } from '../../src/cli/histogram-options.js';
import { UsageError } from '../../src/core/errors.js';

describe('parseBuckets', () => {
  it.each<[string | undefined, unknown]>([
    [undefined, { kind: 'default' }],
    ['default', { kind: 'default' }],
    ['log2', { kind: 'log2' }],
    ['10us,1ms', { kind: 'edges', edgesNs: [10_000, 1_000_000] }],
    ['500ns, 1.5µs ,2μs,3 ms,1s', { kind: 'edges', edgesNs: [500, 1_500, 2_000, 3_000_000, 1_000_000_000] }],
    ['.5us', { kind: 'edges', edgesNs: [500] }],
  ])('%j', (text, spec) => {
    expect(parseBuckets(text)).toEqual(spec);
  });

  it.each<[string, string]>([
    ['10us,1ms,100us', "--buckets: '100us' is below the edge before it ('1ms'); edges must increase"],
    ['10us,10000ns', "--buckets: '10000ns' repeats the edge before it"],
    ['0us,1ms', "--buckets: '0us' is not a positive duration (edges are at least 1 ns)"],
    ['0.4ns', "--buckets: '0.4ns' is not a positive duration (edges are at least 1 ns)"],
    ['-5us', "--buckets: '-5us' is not a duration with a unit (ns, us, µs, ms or s), e.g. 10us"],
    ['10', "--buckets: '10' is not a duration with a unit (ns, us, µs, ms or s), e.g. 10us"],
    ['10xs', "--buckets: '10xs' is not a duration with a unit (ns, us, µs, ms or s), e.g. 10us"],
    ['10us,,1ms', "--buckets: edge 2 is empty in '10us,,1ms'"],
    ['', "--buckets: edge 1 is empty in ''"],
  ])('rejects %j', (text, message) => {
    expect(() => parseBuckets(text)).toThrow(new UsageError(message));
    expect(() => parseBuckets(text)).toThrow(UsageError);
  });

  it('converts units exactly', () => {
    expect(parseEdge('2.5ms')).toBe(2_500_000);
    expect(parseEdge('7s')).toBe(7e9);
  });
});

describe('checkSyscallName', () => {
  it.each(['read', 'fsync', 'epoll_wait', 'syscall_999'])('accepts %s', (name) => {
    expect(checkSyscallName(name)).toBe(name);
  });

  it.each<[string, string]>([
    ['fsynk', "unknown syscall 'fsynk' (did you mean fsync?)"],
    ['nosuchthing', "unknown syscall 'nosuchthing'"],
    ['READ', "unknown syscall 'READ'"],
  ])('rejects %s', (name, message) => {
    expect(() => checkSyscallName(name)).toThrow(new UsageError(message));
  });
});
