// The streams and environment a CLI run writes to and reads from.

// An output stream; isTTY decides colours.
export interface Output {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

// What a CLI run may touch besides its arguments.
export interface Io {
  readonly stdout: Output;
  readonly stderr: Output;
  readonly env: NodeJS.ProcessEnv;
}
