// The interactive app: the feed's frames, the terminal size and the keys wired
// to LiveScreen. Quitting goes through ink's exit() so the terminal is restored.
import { useApp, useInput } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { keyAction, splitKeys, type KeyInfo } from '../keys.js';
import type { LiveFeed } from '../live-feed.js';
import { tableWindow } from '../model/table-window.js';
import { INITIAL_STATE, reduce, type UiState } from '../state.js';
import { useFeed } from '../use-feed.js';
import { useTerminalSize } from '../use-terminal-size.js';
import { LiveScreen, tablePage } from './LiveScreen.js';

// Props of LiveApp.
export interface LiveAppProps {
  readonly feed: LiveFeed;
  readonly intervalMs: number;
  readonly color: boolean;
  readonly initial?: Partial<UiState>;
  readonly note?: string | null;
  // asked to quit from outside (SIGTERM): a counter, each change quits
  readonly quitSignal?: { subscribe(listener: () => void): () => void };
}

// The app.
export function LiveApp({ feed, intervalMs, color, initial = {}, note = null, quitSignal }: LiveAppProps) {
  const { exit } = useApp();
  const [state, setStateNow] = useState<UiState>({ ...INITIAL_STATE, ...initial });
  // keys can arrive faster than renders: each one reads the state the last one left
  const latest = useRef(state);
  const setState = (next: UiState): void => {
    latest.current = next;
    setStateNow(next);
  };
  const { frame, ended } = useFeed(feed, state.paused);
  const { columns, rows } = useTerminalSize();

  useEffect(() => (quitSignal === undefined ? undefined : quitSignal.subscribe(() => exit())), [quitSignal, exit]);

  // one key press; reads the state the previous press left
  const press = (input: string, key: KeyInfo): void => {
    const state = latest.current;
    const page = tablePage(rows);
    const action = keyAction(input, key, state, page);
    if (action === null) return;
    if (action.type === 'quit') {
      exit();
      return;
    }
    if (action.type === 'open') {
      if (state.panel !== 'table') return;
      const selected = tableWindow(frame, state, page).selectedRow;
      setState(reduce(state, { type: 'open', key: selected?.key ?? null }));
      return;
    }
    const next = reduce(state, action);
    if (action.type === 'move') {
      // keep the selection on a row that exists
      const { matching } = tableWindow(frame, state, page);
      setState({ ...next, selected: Math.max(0, Math.min(next.selected, matching - 1)) });
      return;
    }
    setState(next);
  };

  useInput((input, key) => {
    for (const [i, k] of splitKeys(input, key)) press(i, k);
  });

  return <LiveScreen frame={frame} history={feed.history} state={state} width={columns} height={rows} intervalMs={intervalMs} color={color} ended={ended} note={note} />;
}
