// Markdown text helpers of the report.

// Text safe in a Markdown paragraph: no accidental code, emphasis, links or tags
// (intraword underscores, as in epoll_wait, are literal in CommonMark).
export function escapeInline(text: string): string {
  return text.replace(/([\\`*[\]<>])/g, '\\$1');
}
