// The words of stat-storm.
import type { StatStormFinding } from '../../../core/analysis/rules/stat-storm.js';
import { formatCount, formatDuration, formatPercent } from '../units.js';
import { ofWall, type FindingText } from './text.js';

// Repeated stat/access of the same paths.
export function statStormText(f: StatStormFinding): FindingText {
  const m = f.metrics;
  return {
    title: `${formatCount(m.lookups)} stat/access lookups of ${formatCount(m.paths)} paths`,
    evidence: [
      `${formatCount(m.repeated)} of ${formatCount(m.lookups)} lookups (${formatPercent(m.repeatedShare)}) asked again about a path already looked up; all lookups took ${formatDuration(m.totalNs)}${ofWall(m.wallShare)}`,
      ...f.subject.paths.map((p) => `${p.path}: ${formatCount(p.lookups)} times${p.failures > 0 ? ` (${formatCount(p.failures)} failed)` : ''}`),
    ],
    why: 'Each lookup resolves the path in the kernel again; asking the same question thousands of times costs time and gives the same answer.',
    recommendation: [
      'Cache file metadata (existence, size, mtime) in the application and refresh it on a timer or with inotify',
      'Open the file once and use fstat on the fd instead of stat by path',
      'Check build tools and module loaders for repeated probing (a cache directory, fewer search paths)',
    ],
  };
}
