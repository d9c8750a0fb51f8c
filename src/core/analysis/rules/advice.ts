// Advice by I/O category, for the generic dominant-syscall rule (the specific rules carry their own).
import type { Category } from '../../model/categories.js';

// What usually helps when a category takes the time.
export const CATEGORY_ADVICE: Readonly<Record<Category, readonly string[]>> = {
  sync: ['Batch writes before fsync (group commit)', 'Use fdatasync where file metadata need not be durable', 'Review whether every fsync is necessary'],
  'disk-read': ['Check how much is served from the page cache: cold reads go to disk', 'Read larger blocks, or prefetch predictable access (readahead, posix_fadvise)'],
  'disk-write': ['Buffer small writes into larger ones', 'Write several buffers per call (writev, pwritev)'],
  network: ['Batch small sends and receives (larger buffers, sendmmsg/recvmmsg)'],
  metadata: ['Avoid repeated opens and stats of the same paths: keep files open, cache lookups'],
  memory: ['Reuse mappings and buffers instead of mapping and unmapping per operation'],
  process: ['Reuse processes or threads (pools) instead of starting one per task'],
  other: [],
  wait: [],
};
