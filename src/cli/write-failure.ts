// Telling a failed write to stdout apart: a reader that went away, or a real failure.

// Exit code when the output cannot be written (EX_IOERR, as OutputError).
export const OUTPUT_EXIT = 74;

// A failed write to stdout (or any output stream): 'closed' for a reader that
// went away (EPIPE: `| head`), the reason for a full or broken device, null
// for anything else.
export function writeFailure(err: unknown): 'closed' | string | null {
  const e = err as NodeJS.ErrnoException | null;
  if (e === null || typeof e !== 'object' || e.syscall !== 'write' || typeof e.code !== 'string') return null;
  if (e.code === 'EPIPE') return 'closed';
  const reasons: Readonly<Record<string, string>> = { ENOSPC: 'no space left on the device', EIO: 'input/output error', EDQUOT: 'disk quota exceeded', EFBIG: 'file too large', EBADF: 'not open for writing' };
  return reasons[e.code] ?? e.code;
}
