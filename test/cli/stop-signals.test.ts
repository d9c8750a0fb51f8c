import { afterEach, describe, expect, it, vi } from 'vitest';
import { abortOnStopSignals, onStopSignals } from '../../src/cli/stop-signals.js';

const count = (): number[] => ['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => process.listenerCount(s));

afterEach(() => vi.restoreAllMocks());

describe('abortOnStopSignals', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('aborts on %s, and stops listening when told', (signal) => {
    const before = count();
    const stop = new AbortController();
    const unlisten = abortOnStopSignals(stop);
    expect(stop.signal.aborted).toBe(false);
    process.emit(signal, signal);
    expect(stop.signal.aborted).toBe(true);
    expect((stop.signal.reason as Error).message).toBe(`stopped by ${signal}`);
    unlisten();
    expect(count()).toEqual(before);
  });

  it('leaves SIGHUP alone', () => {
    const stop = new AbortController();
    const unlisten = abortOnStopSignals(stop);
    const hup = vi.fn();
    process.on('SIGHUP', hup);
    process.emit('SIGHUP', 'SIGHUP');
    process.off('SIGHUP', hup);
    unlisten();
    expect(stop.signal.aborted).toBe(false);
  });
});

describe('onStopSignals', () => {
  it('passes two signals on, then leaves the third to its default action (exit)', () => {
    const before = count();
    const kill = vi.spyOn(process, 'kill').mockImplementation(() => true);
    const seen: string[] = [];
    const unlisten = onStopSignals((s) => seen.push(s), ['SIGINT', 'SIGTERM', 'SIGHUP']);
    process.emit('SIGHUP', 'SIGHUP');
    process.emit('SIGINT', 'SIGINT');
    expect(kill).not.toHaveBeenCalled();
    process.emit('SIGTERM', 'SIGTERM');
    expect(seen).toEqual(['SIGHUP', 'SIGINT']);
    expect(kill).toHaveBeenCalledWith(process.pid, 'SIGTERM');
    // the handlers were removed before the signal was raised again
    expect(count()).toEqual(before);
    unlisten();
    expect(count()).toEqual(before);
  });
});
