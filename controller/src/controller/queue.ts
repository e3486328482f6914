// The work queue of the level-triggered loop: one key per canary, each with a due time. Watch
// events make a key due now; a finished tick sets its next due time. At most `concurrency` keys
// run at once, a key never runs twice at the same time (an event during a run makes it run again
// right after), and a failing key backs off on its own without holding anyone else up.
import type { DateTime } from 'luxon';
import { systemClock, type Clock } from './clock.js';

export interface WorkOutcome {
  /** When the key is due again without any event; undefined: only events bring it back. */
  nextDueAt?: DateTime;
}

export type WorkHandler = (key: string) => Promise<WorkOutcome>;

export interface WorkQueueObserver {
  /** A key started, `lagMs` after it became due (how far behind the loop runs). */
  started?(key: string, lagMs: number): void;
  /** A run threw; the key is retried after `retryInMs`. */
  failed?(key: string, error: unknown, retryInMs: number): void;
}

export interface WorkQueueOptions {
  concurrency: number;
  clock?: Clock;
  /** Per-key retry delays after errors: initial, doubling up to max. */
  backoff?: { initialMs: number; maxMs: number };
  observer?: WorkQueueObserver;
}

interface Entry {
  /** Scheduled due time (ms); undefined when not scheduled. */
  dueAt?: number;
  /** Sequence of the heap item that is current for this key (older items are stale). */
  seq: number;
  running: boolean;
  /** Earliest time an event asked for while the key was running. */
  rerunAt?: number;
  failures: number;
  removed: boolean;
}

interface HeapItem {
  at: number;
  seq: number;
  key: string;
}

const DEFAULT_BACKOFF = { initialMs: 1000, maxMs: 60_000 };

export class WorkQueue {
  private readonly entries = new Map<string, Entry>();
  private readonly heap: HeapItem[] = [];
  private readonly clock: Clock;
  private readonly backoff: { initialMs: number; maxMs: number };
  private seq = 0;
  private active = 0;
  private cancelTimer: (() => void) | undefined;
  private timerAt: number | undefined;
  private stopped = false;
  private readonly idle: Array<() => void> = [];

  constructor(
    private readonly handler: WorkHandler,
    private readonly options: WorkQueueOptions,
  ) {
    if (!(options.concurrency >= 1)) throw new Error('concurrency must be at least 1');
    this.clock = options.clock ?? systemClock;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
  }

  /** Make `key` due at `at` (default: now); an earlier due time already set is kept. */
  enqueue(key: string, at?: DateTime): void {
    if (this.stopped) return;
    const when = at ? at.toMillis() : this.nowMs();
    const entry = this.entries.get(key) ?? this.create(key);
    entry.removed = false;
    if (entry.running) {
      entry.rerunAt = entry.rerunAt === undefined ? when : Math.min(entry.rerunAt, when);
      return;
    }
    if (entry.dueAt !== undefined && entry.dueAt <= when) return;
    this.schedule(key, entry, when);
    this.pump();
  }

  /** The canary is gone: drop its schedule (a running tick finishes but is not rescheduled). */
  forget(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    if (entry.running) {
      entry.removed = true;
      entry.rerunAt = undefined;
      return;
    }
    this.entries.delete(key);
  }

  /** Keys known to the queue (scheduled or running). */
  keys(): string[] {
    return [...this.entries.keys()];
  }

  dueAt(key: string): number | undefined {
    return this.entries.get(key)?.dueAt;
  }

  get running(): number {
    return this.active;
  }

  /** Stops dispatching and resolves once the ticks in flight are done. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    if (this.active === 0) return;
    await new Promise<void>(resolve => this.idle.push(resolve));
  }

  private create(key: string): Entry {
    const entry: Entry = { seq: 0, running: false, failures: 0, removed: false };
    this.entries.set(key, entry);
    return entry;
  }

  private nowMs(): number {
    return this.clock.now().toMillis();
  }

  private schedule(key: string, entry: Entry, at: number): void {
    entry.dueAt = at;
    entry.seq = ++this.seq;
    this.push({ at, seq: entry.seq, key });
  }

  private pump(): void {
    if (this.stopped) return;
    const now = this.nowMs();
    while (this.active < this.options.concurrency) {
      const top = this.heap[0];
      if (!top || top.at > now) break;
      this.pop();
      const entry = this.entries.get(top.key);
      if (!entry || entry.seq !== top.seq || entry.dueAt === undefined || entry.running) continue;
      this.run(top.key, entry, now - top.at);
    }
    this.arm();
  }

  /** One timer for the earliest future due time. */
  private arm(): void {
    const top = this.peekLive();
    if (!top || this.active >= this.options.concurrency) {
      this.cancelTimer?.();
      this.cancelTimer = undefined;
      this.timerAt = undefined;
      return;
    }
    if (this.cancelTimer && this.timerAt === top.at) return;
    this.cancelTimer?.();
    this.timerAt = top.at;
    this.cancelTimer = this.clock.setTimer(top.at - this.nowMs(), () => {
      this.cancelTimer = undefined;
      this.timerAt = undefined;
      this.pump();
    });
  }

  private peekLive(): HeapItem | undefined {
    for (;;) {
      const top = this.heap[0];
      if (!top) return undefined;
      const entry = this.entries.get(top.key);
      if (entry && entry.seq === top.seq && entry.dueAt !== undefined && !entry.running) {
        return top;
      }
      this.pop();
    }
  }

  private run(key: string, entry: Entry, lagMs: number): void {
    entry.running = true;
    entry.dueAt = undefined;
    this.active += 1;
    this.options.observer?.started?.(key, lagMs);
    let outcome: Promise<WorkOutcome>;
    try {
      outcome = this.handler(key);
    } catch (err) {
      outcome = Promise.reject(err);
    }
    outcome.then(
      result => this.finish(key, entry, result.nextDueAt?.toMillis(), undefined),
      (error: unknown) => this.finish(key, entry, undefined, { error }),
    );
  }

  private finish(
    key: string,
    entry: Entry,
    nextDueAt: number | undefined,
    failure: { error: unknown } | undefined,
  ): void {
    entry.running = false;
    this.active -= 1;
    const rerunAt = entry.rerunAt;
    entry.rerunAt = undefined;
    if (entry.removed) {
      this.entries.delete(key);
    } else if (failure) {
      entry.failures += 1;
      const delay = Math.min(
        this.backoff.maxMs,
        this.backoff.initialMs * 2 ** Math.min(30, entry.failures - 1),
      );
      this.options.observer?.failed?.(key, failure.error, delay);
      this.schedule(key, entry, this.nowMs() + delay);
    } else {
      entry.failures = 0;
      const candidates = [nextDueAt, rerunAt].filter((t): t is number => t !== undefined);
      if (candidates.length > 0) this.schedule(key, entry, Math.min(...candidates));
    }
    if (this.stopped && this.active === 0) {
      for (const resolve of this.idle.splice(0)) resolve();
    }
    this.pump();
  }

  // A binary min-heap on (at, seq): the earliest due key first, ties in arrival order.
  private push(item: HeapItem): void {
    const heap = this.heap;
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i] as HeapItem, heap[parent] as HeapItem)) break;
      [heap[i], heap[parent]] = [heap[parent] as HeapItem, heap[i] as HeapItem];
      i = parent;
    }
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (!last || heap.length === 0) return;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && before(heap[left] as HeapItem, heap[smallest] as HeapItem)) {
        smallest = left;
      }
      if (right < heap.length && before(heap[right] as HeapItem, heap[smallest] as HeapItem)) {
        smallest = right;
      }
      if (smallest === i) return;
      [heap[i], heap[smallest]] = [heap[smallest] as HeapItem, heap[i] as HeapItem];
      i = smallest;
    }
  }
}

function before(a: HeapItem, b: HeapItem): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
