// Number formatting for the capture's own messages (progress, skipped rows); the
// renderers have their own, but capture comes before them in the data flow.

// An integer with thousands separators: 1247891 -> "1,247,891".
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
