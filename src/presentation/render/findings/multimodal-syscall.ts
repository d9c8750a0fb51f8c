// The words of multimodal-syscall.
import type { MultimodalSyscallFinding } from '../../../core/analysis/rules/multimodal-syscall.js';
import { modeWords } from '../mode-text.js';
import type { FindingText } from './text.js';

const NAMES = ['', 'unimodal', 'bimodal', 'trimodal'];

// "read() shows a bimodal distribution" with each mode's share and range.
export function multimodalSyscallText(f: MultimodalSyscallFinding): FindingText {
  const n = f.metrics.modeCount;
  return {
    title: `${f.syscall}() shows a ${NAMES[n] ?? `multimodal (${n} modes)`} distribution`,
    evidence: modeWords(f.subject.modes, f.subject.labels),
    why: 'Separate latency clusters mean the calls take different paths (cache or disk, fast or contended); the slow path is the one to fix.',
    recommendation:
      f.subject.category === 'disk-read'
        ? ['The slow cluster is likely reads from disk: the working set may exceed RAM', 'Consider memory-mapped I/O or a larger cache for hot data', 'Prefetch predictable access patterns']
        : ['Find what the slow calls have in common (file, size, thread) before tuning the average'],
  };
}
