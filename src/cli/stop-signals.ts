// The one place where process signals stop things: a command that traces
// listens here while it runs and turns SIGINT/SIGTERM into an abort of its
// AbortController (the backends stop cleanly and still return the final
// profile). The core installs no signal handler.

// Signals that stop a trace.
export const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

// Signals received before the next one is left to its default action (node
// exits; execa's cleanup and the loader's parent-death signal stop the loader).
const SIGNALS_BEFORE_EXIT = 2;

// Calls onSignal for each of `signals` until the returned function is called.
// The third signal exits at once, for a stop that hangs.
export function onStopSignals(onSignal: (signal: NodeJS.Signals) => void, signals: readonly NodeJS.Signals[] = STOP_SIGNALS): () => void {
  let seen = 0;
  const handler = (signal: NodeJS.Signals): void => {
    seen += 1;
    if (seen > SIGNALS_BEFORE_EXIT) {
      unlisten();
      process.kill(process.pid, signal);
      return;
    }
    onSignal(signal);
  };
  const unlisten = (): void => {
    for (const s of signals) process.off(s, handler);
  };
  for (const s of signals) process.on(s, handler);
  return unlisten;
}

// Aborts `controller` on SIGINT or SIGTERM until the returned function is called.
export function abortOnStopSignals(controller: AbortController): () => void {
  return onStopSignals((signal) => controller.abort(new Error(`stopped by ${signal}`)));
}
