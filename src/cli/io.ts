// The streams and environment a CLI run writes to and reads from.
import type { Output } from '../presentation/output.js';

export type { Output };

// What a CLI run may touch besides its arguments.
export interface Io {
  readonly stdout: Output;
  readonly stderr: Output;
  readonly env: NodeJS.ProcessEnv;
}
