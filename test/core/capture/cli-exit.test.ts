// Bad capture input through the built CLI: exit 65 and one stderr line naming the
// file, the line (or byte offset) and what was expected.
import { describe, expect, it } from 'vitest';
import { CSV_HEADER, CSV_HEADER_V1 } from '../../../src/core/capture/csv-schema.js';
import { runBuiltCli } from '../../helpers/cli.js';
import { encodeStream, headerFrame, snapshotFrame } from '../../helpers/frames.js';
import { fileWith } from './capture-helpers.js';

const HEAD = `# syscall-prof capture v1\n# start_real_ns: 1735787045000000000\n${CSV_HEADER_V1}\n`;
const ROW = '1735787045000001000,7,7,db,read,2500,4096,,0x3,0x7ffd12345678,0x1000,0x0,0x0,0x0,8192,/data';

describe('analyze on bad input exits 65 with one line', () => {
  it.each<[string, string, string | Buffer, RegExp]>([
    ['empty csv', 'a.csv', '', /a\.csv: line 1: empty file, expected the header line "timestamp_ns,/],
    ['wrong header', 'a.csv', `time,pid\n${ROW}\n`, /a\.csv: line 1: expected the header line "timestamp_ns,.*", got "time,pid"/],
    ['missing columns', 'a.csv', `${HEAD}${ROW}\n1,2,3\n`, /a\.csv: line 5: expected 16 fields \(.*\), got 3/],
    ['non-numeric field', 'a.csv', `${HEAD}${ROW.replace(',2500,', ',slow,')}\n`, /a\.csv: line 4: field 6 \(duration_ns\): expected a non-negative integer \(ns\), got "slow"/],
    ['unknown syscall', 'a.csv', `${HEAD}${ROW.replace(',read,', ',reed,')}\n`, /a\.csv: line 4: field 5 \(syscall\): expected a syscall name of x86_64, got "reed"/],
    ['truncated last line', 'a.csv', `${HEAD}${ROW}\n${ROW.slice(0, 30)}`, /a\.csv: line 5: expected 16 fields .* \(truncated last line: no final newline\)/],
    ['bad JSON line', 'a.jsonl', '{"syscall_prof":1,"meta":{"start_real_ns":"1"}}\n{nope\n', /a\.jsonl: line 2: expected a JSON object, got a line that is not JSON/],
    ['truncated spb', 'a.spb', encodeStream([headerFrame(), snapshotFrame({ final: true })]).subarray(0, 60), /a\.spb: truncated frame at byte offset \d+: expected \d+ bytes, got \d+/],
  ])('%s', async (_name, fileName, content, message) => {
    const path = fileWith(fileName, content);
    const r = await runBuiltCli(['analyze', '--input', path]);
    expect(r.exitCode).toBe(65);
    expect(r.stdout).toBe('');
    expect(r.stderr.endsWith('\n')).toBe(true);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr.startsWith(`syscall-prof: ${path}: `)).toBe(true);
    expect(r.stderr).toMatch(message);
  });

  it('skips bad rows with --skip-bad and says so in one line', async () => {
    const path = fileWith('some-bad.csv', `${HEAD}${ROW}\n${ROW.replace(',2500,', ',x,')}\n${ROW}\n`);
    const r = await runBuiltCli(['analyze', '--input', path, '--skip-bad']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('syscall-prof: skipped 1 bad row (first at line 5: field 6 (duration_ns): expected a non-negative integer (ns), got "x")\n');
  });
});
