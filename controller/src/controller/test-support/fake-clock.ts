// A clock for tests: time moves only when the test says so, and timers fire in due order.
import { DateTime } from 'luxon';
import type { Clock } from '../clock.js';

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
}

export class FakeClock implements Clock {
  private ms: number;
  private seq = 0;
  private timers: Timer[] = [];

  constructor(start = '2026-01-01T00:00:00Z') {
    this.ms = DateTime.fromISO(start, { zone: 'utc' }).toMillis();
  }

  now(): DateTime {
    return DateTime.fromMillis(this.ms, { zone: 'utc' });
  }

  setTimer(ms: number, fn: () => void): () => void {
    const timer = { at: this.ms + Math.max(0, ms), seq: ++this.seq, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter(t => t !== timer);
    };
  }

  /** Moves time forward, firing timers (and letting promises settle) on the way. */
  async advance(ms: number): Promise<void> {
    const end = this.ms + ms;
    for (;;) {
      await flush();
      const next = this.timers
        .filter(t => t.at <= end)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) break;
      this.timers = this.timers.filter(t => t !== next);
      this.ms = Math.max(this.ms, next.at);
      next.fn();
    }
    this.ms = end;
    await flush();
  }

  get pendingTimers(): number {
    return this.timers.length;
  }
}

/** Lets every already-resolved promise chain run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise<void>(resolve => setImmediate(resolve));
}
