// Where presentation code writes text: a stream (process.stdout, a terminal) or a test's sink.

// An output stream; isTTY decides colours.
export interface Output {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}
