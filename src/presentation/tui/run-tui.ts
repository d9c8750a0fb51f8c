// Mounts the interactive live view on the terminal (alternate screen) and
// resolves when the user quits; the terminal is restored on every path.
import { render } from 'ink';
import { createElement } from 'react';
import { LiveApp } from './components/LiveApp.js';
import type { LiveFeed } from './live-feed.js';
import type { UiState } from './state.js';
import { FALLBACK_SIZE } from './use-terminal-size.js';

// Switch to / back from the terminal's alternate screen (like top and less).
const ENTER_ALT = '\u001b[?1049h\u001b[H';
const LEAVE_ALT = '\u001b[?1049l';
// Erase the whole screen and put the cursor top left.
const CLEAR_SCREEN = '\u001b[2J\u001b[H';

// What the caller holds while the view runs.
export interface TuiSession {
  // resolves when the user quit (q, Ctrl-C) or quit() was called
  readonly done: Promise<void>;
  // quits from outside (SIGTERM); the app exits through ink's exit()
  quit(): void;
}

// Options of the interactive view.
export interface TuiOptions {
  readonly intervalMs: number;
  readonly color: boolean;
  readonly initial?: Partial<UiState>;
  readonly note?: string | null;
  readonly stdout?: NodeJS.WriteStream;
  readonly stdin?: NodeJS.ReadStream;
}

// A terminal that reports no size (0x0: a pseudo-terminal nobody sized, as
// script(1) makes without a terminal of its own) is taken as 80x24, the size
// the view already lays itself out for: ink would draw into 0 columns, and ask
// terminal-size on every frame, which opens /dev/tty each time and never closes it.
// A later resize to a real size replaces these (node sets them on SIGWINCH).
function assumeSizeIfNone(stdout: NodeJS.WriteStream): void {
  if (stdout.isTTY !== true) return;
  if (!(stdout.columns > 0)) stdout.columns = FALLBACK_SIZE.columns;
  if (!(stdout.rows > 0)) stdout.rows = FALLBACK_SIZE.rows;
}

// Starts the view.
export function runTui(feed: LiveFeed, options: TuiOptions): TuiSession {
  const stdout = options.stdout ?? process.stdout;
  assumeSizeIfNone(stdout);
  const listeners = new Set<() => void>();
  const quitSignal = {
    subscribe(l: () => void) {
      listeners.add(l);
      return () => {
        listeners.delete(l);
      };
    },
  };
  stdout.write(ENTER_ALT);
  const props = {
    feed,
    intervalMs: options.intervalMs,
    color: options.color,
    quitSignal,
    ...(options.initial === undefined ? {} : { initial: options.initial }),
    ...(options.note === undefined ? {} : { note: options.note }),
  };
  const app = createElement(LiveApp, props);
  const instance = render(app, {
    stdout,
    ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
    exitOnCtrlC: false,
    patchConsole: false,
    maxFps: 10,
  });
  // On a resize the terminal reflows what is on it (long lines wrap), so
  // erasing the last frame line by line, as ink does, leaves pieces behind:
  // clear the whole (alternate) screen first and make ink draw everything anew.
  // prepended: this runs before ink's own resize handler, which then redraws.
  // ink redraws as soon as it hears of the resize, before the view's own
  // update for it has run: render the view again now (synchronously), so what
  // ink draws is already laid out for the new size (a line wider than the
  // terminal would wrap and leave pieces behind).
  const onResize = (): void => {
    assumeSizeIfNone(stdout);
    stdout.write(CLEAR_SCREEN);
    instance.clear();
    instance.rerender(createElement(LiveApp, props));
  };
  stdout.prependListener('resize', onResize);
  let restored = false;
  const restore = (): void => {
    if (restored) return;
    restored = true;
    stdout.off('resize', onResize);
    stdout.write(LEAVE_ALT);
  };
  // a crash of node itself still leaves the alternate screen
  process.once('exit', restore);
  const done = instance.waitUntilExit().then(
    () => {
      instance.cleanup();
      restore();
    },
    (err: unknown) => {
      instance.cleanup();
      restore();
      throw err;
    },
  );
  return {
    done,
    quit: () => {
      if (listeners.size === 0) instance.unmount();
      for (const l of listeners) l();
    },
  };
}
