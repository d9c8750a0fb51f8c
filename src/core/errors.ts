// The typed errors the CLI maps to exit codes; anything else is a bug and prints a stack.

// Options shared by every expected error.
export interface ErrorOptions {
  readonly cause?: unknown;
}

// Base of the family: an expected failure with a one-line message and an exit code.
export abstract class ExpectedError extends Error {
  abstract readonly exitCode: number;
  constructor(message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}

// Bad command line or bad target (exit 2, like the loader's usage errors).
export class UsageError extends ExpectedError {
  readonly exitCode = 2;
}

// Where in an input the problem is: a file (or stream name) and a line or byte offset.
export interface InputLocation extends ErrorOptions {
  readonly file: string;
  readonly line?: number;
  readonly offset?: number;
}

// Malformed input data: a capture file or the loader's frame stream (EX_DATAERR, 65).
export class InputError extends ExpectedError {
  readonly exitCode = 65;
  readonly file: string;
  readonly line: number | undefined;
  readonly offset: number | undefined;
  constructor(message: string, location: InputLocation) {
    super(`${location.file}: ${message}`, location);
    this.file = location.file;
    this.line = location.line;
    this.offset = location.offset;
  }
}

// Not allowed to trace: missing root or capabilities (EX_NOPERM, 77).
export class PermissionError extends ExpectedError {
  readonly exitCode = 77;
}

// A tracing backend failed at run time (EX_SOFTWARE, 70).
export class BackendError extends ExpectedError {
  readonly exitCode = 70;
}
