// Hook: the terminal's columns and rows, updated on resize.
import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

// Size used when the output is not a terminal, or one that reports no size.
export const FALLBACK_SIZE = { columns: 80, rows: 24 } as const;

// Current size of the output terminal.
export function useTerminalSize(): { readonly columns: number; readonly rows: number } {
  const { stdout } = useStdout();
  const read = (): { columns: number; rows: number } => ({ columns: stdout.columns || FALLBACK_SIZE.columns, rows: stdout.rows || FALLBACK_SIZE.rows });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = (): void => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}
