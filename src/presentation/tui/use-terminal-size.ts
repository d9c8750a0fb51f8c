// Hook: the terminal's columns and rows, updated on resize.
import { useStdout } from 'ink';
import { useEffect, useReducer } from 'react';

// Size used when the output is not a terminal, or one that reports no size.
export const FALLBACK_SIZE = { columns: 80, rows: 24 } as const;

// Current size of the output terminal: read as the component renders, so a
// render forced right after a resize (run-tui does) already has the new size.
export function useTerminalSize(): { readonly columns: number; readonly rows: number } {
  const { stdout } = useStdout();
  const [, resized] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const onResize = (): void => resized();
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return { columns: stdout.columns || FALLBACK_SIZE.columns, rows: stdout.rows || FALLBACK_SIZE.rows };
}
