import { render } from 'ink';
import type { WatchSession } from '../../services/watch/session.js';
import { FrameScheduler } from './frame-scheduler.js';
import { WatchApp } from './WatchApp.js';

export interface LiveView {
  /** A new update arrived: redraw soon (throttled). */
  invalidate(): void;
  /** Stops redrawing and gives the terminal back (the last frame stays on screen). */
  close(): Promise<void>;
}

/** Starts the Ink app on the real terminal; frames at most 10 per second. */
export function startLiveView(session: WatchSession, onQuit: () => void, wide: boolean): LiveView {
  const frames = new FrameScheduler(100, 1000);
  const app = render(<WatchApp session={session} frames={frames} onQuit={onQuit} wide={wide} />, { exitOnCtrlC: false, patchConsole: false, maxFps: 10 });
  return {
    invalidate: () => frames.invalidate(),
    close: async () => {
      frames.stop();
      app.unmount();
      await app.waitUntilExit();
    },
  };
}
