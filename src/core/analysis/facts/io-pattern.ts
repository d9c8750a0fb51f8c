// Access patterns of reads and writes from file offsets: a call is sequential
// when its offset is where the previous call on the same fd ended (previous
// offset + bytes transferred). Over the calls that could be compared (offset
// known, a previous call on the fd):
//   >= SEQUENTIAL_SHARE (80%) sequential -> 'sequential'
//   <= RANDOM_SHARE (20%) sequential     -> 'random'
//   otherwise                            -> 'mixed'
// and with fewer than MIN_PATTERN_OPS (8) compared calls -> 'unknown'.

// An access pattern.
export type IoPattern = 'sequential' | 'random' | 'mixed' | 'unknown';

// At least this share of sequential calls makes a pattern sequential.
export const SEQUENTIAL_SHARE = 0.8;
// At most this share of sequential calls makes it random.
export const RANDOM_SHARE = 0.2;
// Fewer compared calls than this leave the pattern unknown.
export const MIN_PATTERN_OPS = 8;

// The pattern of `sequential` sequential calls out of `compared`.
export function ioPattern(sequential: number, compared: number): IoPattern {
  if (compared < MIN_PATTERN_OPS) return 'unknown';
  const share = sequential / compared;
  if (share >= SEQUENTIAL_SHARE) return 'sequential';
  if (share <= RANDOM_SHARE) return 'random';
  return 'mixed';
}
