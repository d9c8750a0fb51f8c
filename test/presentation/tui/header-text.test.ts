// The live header says when times are sampled (--sample), and only then.
import { describe, expect, it } from 'vitest';
import type { Profile } from '../../../src/core/model/profile.js';
import { headerLines } from '../../../src/presentation/tui/model/header-text.js';
import { buildFrame } from '../../../src/presentation/tui/model/interval.js';
import { profileOf, statsOf } from '../../helpers/profile.js';

function snap(overrides: Partial<Profile>): Profile {
  return profileOf({ durationNs: 1e9, final: false, stopReason: null, syscalls: [statsOf('read', 0, [1000, 2000])], ...overrides });
}

describe('live header', () => {
  it('marks a sampled session with its period', () => {
    const frame = buildFrame(null, snap({ samplePeriod: 16 }), 1);
    expect(frame.samplePeriod).toBe(16);
    expect(headerLines(frame, 1000)[0]).toContain('~ timed 1 call in 16');
  });

  it('says nothing of sampling when every call is timed, nor for an empty first snapshot', () => {
    expect(headerLines(buildFrame(null, snap({}), 1), 1000)[0]).not.toContain('timed 1 call');
    const empty = buildFrame(null, profileOf({ durationNs: 0, final: false, stopReason: null }), 1);
    expect(empty.samplePeriod).toBe(1);
    expect(headerLines(empty, 1000)[0]).not.toContain('~');
  });
});
