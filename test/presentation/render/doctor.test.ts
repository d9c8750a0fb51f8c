import { describe, expect, it } from 'vitest';
import { palette } from '../../../src/presentation/render/color.js';
import { renderChecks, renderChecksJson } from '../../../src/presentation/render/doctor.js';

const CHECKS = [
  { name: 'kernel', ok: true, detail: 'Linux 6.8.0', fix: null },
  { name: 'loader', ok: false, detail: 'no executable loader at /x', fix: 'run `make build`' },
];

describe('doctor output', () => {
  it('lists checks with the fix under failing ones', () => {
    expect(renderChecks(CHECKS, palette(false))).toBe(
      'ok    kernel  Linux 6.8.0\n' +
        'FAIL  loader  no executable loader at /x\n' +
        '              -> run `make build`\n' +
        '\n' +
        '1 check failed.\n',
    );
  });

  it('says all is well when everything passes', () => {
    expect(renderChecks([CHECKS[0]!], palette(false))).toContain('eBPF tracing should work.');
  });

  it('has a JSON form', () => {
    expect(JSON.parse(renderChecksJson(CHECKS))).toEqual({ ok: false, checks: CHECKS });
  });
});
