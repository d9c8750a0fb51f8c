// The three ways a frame stream can be bad; all are input errors (exit 65).
import { InputError, type InputLocation } from '../errors.js';

// The stream ended in the middle of a frame.
export class TruncatedFrameError extends InputError {
  constructor(offset: number, detail: string, location: Omit<InputLocation, 'offset'>) {
    super(`truncated frame at byte offset ${offset}: ${detail}`, { ...location, offset });
  }
}

// A frame's bytes are not a Frame message, or its length prefix is impossible.
export class CorruptFrameError extends InputError {
  constructor(offset: number, detail: string, location: Omit<InputLocation, 'offset'>) {
    super(`corrupt frame at byte offset ${offset}: ${detail}`, { ...location, offset });
  }
}

// A frame decodes but its content breaks the contract (order, ranges, lengths).
export class InvalidFrameError extends InputError {
  constructor(offset: number, detail: string, location: Omit<InputLocation, 'offset'>) {
    super(`invalid frame at byte offset ${offset}: ${detail}`, { ...location, offset });
  }
}
