import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../../src/core/analysis/capture.js';
import { captureFacts, captureWarnings } from '../../../src/presentation/render/capture-facts.js';
import { analysisOf, callsOf, eventOf, metaOf, sourceOf } from '../../helpers/offline.js';
import { profileOf } from '../../helpers/profile.js';

describe('captureFacts', () => {
  it('names a single process and leaves out an empty target', async () => {
    const a = await analysisOf(callsOf('read', [1000]), { target: '' });
    expect(captureFacts('x.jsonl', a)).toEqual([
      ['Input', 'x.jsonl (ebpf, x86_64)'],
      ['Process', 'app (PID 100)'],
      ['Duration', '2.0 s'],
      ['Total syscalls', '1, 0.5/s'],
    ]);
  });

  it('lists the top 3 of many processes, unnamed ones by PID', async () => {
    const a = await analysisOf([1, 2, 3, 4].map((pid) => eventOf({ pid, tid: pid, comm: pid === 2 ? '' : `p${pid}`, durationNs: pid * 10 })));
    expect(captureFacts('f', a)[2]).toEqual(['Processes', '4: p4 (PID 4), p3 (PID 3), PID 2, ...']);
  });

  it('says when percentiles come from in-kernel histograms', async () => {
    const a = await analyzeCapture(sourceOf([], { profile: profileOf() }));
    expect(captureFacts('a.spb', a)).toContainEqual(['Source', 'in-kernel histograms (no per-call events): percentiles are estimates']);
  });
});

describe('captureWarnings', () => {
  it.each<[number, string[]]>([
    [0, []],
    [1234, ['1,234 calls were lost by the kernel (buffer full) and are not in these numbers']],
  ])('%s lost events', (lostEvents, warnings) => {
    expect(captureWarnings(metaOf({ lostEvents }))).toEqual(warnings);
  });
});
