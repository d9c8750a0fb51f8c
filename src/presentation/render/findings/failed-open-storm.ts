// The words of failed-open-storm.
import type { FailedOpenStormFinding } from '../../../core/analysis/rules/failed-open-storm.js';
import { formatCount, formatDuration } from '../units.js';
import { ofWall, type FindingText } from './text.js';

// Failed opens along search paths.
export function failedOpenStormText(f: FailedOpenStormFinding): FindingText {
  const m = f.metrics;
  return {
    title: `${formatCount(m.failedOpens)} opens failed with ENOENT searching for files`,
    evidence: [
      `${formatCount(m.failedOpens)} of ${formatCount(m.opens)} opens failed with ENOENT (No such file or directory), over ${formatCount(m.failedPaths)} paths, taking ${formatDuration(m.failedNs)}${ofWall(m.wallShare)}`,
      ...f.subject.searched.map((s) => `${s.name}: looked for in ${formatCount(s.dirs)} directories, ${formatCount(s.failures)} failed${s.found ? ', then found' : ', never found'}`),
    ],
    why: 'Each failed lookup walks the directory tree in the kernel for nothing, and a search path tried in the wrong order repeats that for every file.',
    recommendation: [
      'Put the directory where the files are first in the search path (LD_LIBRARY_PATH, PYTHONPATH, PATH, config search lists), or use absolute paths',
      'Cache where a file was found (or that it does not exist) instead of probing again',
      'For shared libraries: set RUNPATH at link time or run ldconfig, so the loader does not probe each directory',
    ],
  };
}
