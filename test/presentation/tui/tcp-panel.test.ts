// The live view's connections panel: the key, the reducer, and the screen with and without TCP figures.
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../../src/core/model/histogram.js';
import { standardLayout } from '../../../src/core/model/histogram-layout.js';
import type { Profile, TcpPeerStats } from '../../../src/core/model/profile.js';
import { LiveScreen } from '../../../src/presentation/tui/components/LiveScreen.js';
import { keyAction } from '../../../src/presentation/tui/keys.js';
import { LiveFeed } from '../../../src/presentation/tui/live-feed.js';
import { INITIAL_STATE, reduce } from '../../../src/presentation/tui/state.js';
import { profileOf } from '../../helpers/profile.js';

function peer(over: Partial<TcpPeerStats>): TcpPeerStats {
  const handshake = new LatencyHistogram(standardLayout(2));
  handshake.addValue(20_000);
  return {
    tgid: 42,
    comm: 'api',
    direction: 'connect',
    family: 'ipv6',
    port: 6379,
    handshakes: 1,
    established: 1,
    failed: 0,
    closed: 0,
    resets: 0,
    retransmits: 0,
    lifeNs: 0,
    handshakeNs: 20_000,
    handshakeMaxNs: 20_000,
    handshake,
    ...over,
  };
}

let unmount: (() => void) | null = null;
afterEach(() => {
  unmount?.();
  unmount = null;
});

function screenOf(p: Profile): string {
  const feed = new LiveFeed();
  feed.pushSnapshot(p);
  const r = render(createElement(LiveScreen, { frame: feed.frame, history: feed.history, state: { ...INITIAL_STATE, panel: 'tcp' }, width: 120, height: 30, intervalMs: 1000, color: false }));
  unmount = r.unmount;
  return r.lastFrame() ?? '';
}

const snap = (over: Partial<Profile>): Profile => profileOf({ durationNs: 1e9, final: false, stopReason: null, target: { kind: 'all', follow: false }, ...over });

describe('connections panel', () => {
  it('opens with o, closes with o or Esc', () => {
    const open = reduce(INITIAL_STATE, keyAction('o', {}, INITIAL_STATE)!);
    expect(open.panel).toBe('tcp');
    expect(reduce(open, keyAction('o', {}, open)!).panel).toBe('table');
    expect(reduce(open, keyAction('', { escape: true }, open)!).panel).toBe('table');
  });

  it('shows one line per process and port', () => {
    const out = screenOf(snap({ tcp: [peer({ resets: 2, closed: 1, established: 3 })] }));
    expect(out).toContain('TCP connections since the start');
    expect(out).toMatch(/api \(42\)\s+to ipv6:6379\s+3\s+0\s+[\d.]+ µs/);
  });

  it('says when nothing connected yet, and when TCP is not measured', () => {
    expect(screenOf(snap({ tcp: [] }))).toContain('no TCP connections made or accepted yet');
    expect(screenOf(snap({ tcp: null }))).toContain('not measured');
  });
});
