// Time for the runtime: the engine's `now`, due times and timers come from one injected clock, so
// the queue and the batcher are tested with a fake one and never sleep.
import { DateTime } from 'luxon';

export interface Clock {
  now(): DateTime;
  /** Calls `fn` after `ms` (0 or less: on the next turn); the returned function cancels it. */
  setTimer(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => DateTime.utc(),
  setTimer(ms, fn) {
    const handle = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(handle);
  },
};
