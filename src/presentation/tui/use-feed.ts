// Hook: the frame to show from a LiveFeed; while paused, the shown frame stays put.
import { useEffect, useRef, useState } from 'react';
import type { LiveFeed } from './live-feed.js';
import type { LiveFrame } from './model/interval.js';

// The frame on screen and whether the session ended.
export function useFeed(feed: LiveFeed, paused: boolean): { readonly frame: LiveFrame | null; readonly ended: boolean } {
  const [frame, setFrame] = useState<LiveFrame | null>(feed.frame);
  const [ended, setEnded] = useState(feed.ended);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  useEffect(() => {
    // catch up on resume
    if (!paused) setFrame(feed.frame);
  }, [paused, feed]);
  useEffect(
    () =>
      feed.subscribe((f, done) => {
        if (!pausedRef.current) setFrame(f);
        if (done) setEnded(true);
      }),
    [feed],
  );
  return { frame, ended };
}
