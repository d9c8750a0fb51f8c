// Reading a recorded strace fixture through the log importer (kept beside the
// strace tests: test/helpers/ belongs to the lead).
import { fileURLToPath } from 'node:url';
import { openStraceLog, type StraceLogSource } from '../../../../src/core/backends/strace/log.js';
import type { SyscallEvent } from '../../../../src/core/model/events.js';

// The absolute path of a fixture in test/fixtures/strace/.
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../../../fixtures/strace/${name}`, import.meta.url));
}

// Every event of a log file, with the source (for problems() and final()).
export async function readLog(path: string, batchRows?: number): Promise<{ events: SyscallEvent[]; source: StraceLogSource }> {
  const source = openStraceLog(path, batchRows === undefined ? {} : { batchRows });
  const events: SyscallEvent[] = [];
  for await (const b of source.batches) events.push(...b.rows());
  return { events, source };
}
