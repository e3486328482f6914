// When ingestion reads a canary's detail: at most one read in flight per canary plus one pending
// that covers any burst of changes behind it, and a few reads at once per controller.
import { canaryKey, type CanaryRef } from '@aviary/backstage-plugin-canary-common';
import { Limiter } from './lanes';

interface DetailSlot {
  running?: Promise<void>;
  pending?: Promise<void>;
}

export interface DetailReadsOptions {
  /** Reads at once per controller. */
  concurrency: number;
  /** Reads and records one canary's detail. */
  read(ref: CanaryRef): Promise<void>;
  /** Told about a read that failed; the read resolves anyway. */
  onError(ref: CanaryRef, error: unknown): void;
  /** Registers work under way, so that stopping can wait for it. */
  track<T>(promise: Promise<T>): Promise<T>;
}

export class DetailReads {
  private readonly limiters = new Map<string, Limiter>();
  private readonly slots = new Map<string, DetailSlot>();

  constructor(private readonly options: DetailReadsOptions) {}

  /** Resolves once a read that started after this call has finished. */
  request(ref: CanaryRef): Promise<void> {
    const key = canaryKey(ref);
    let slot = this.slots.get(key);
    if (!slot) {
      slot = {};
      this.slots.set(key, slot);
    }
    if (slot.pending) return slot.pending;
    const running = slot.running;
    if (running) {
      const s = slot;
      s.pending = running.then(() => {
        s.pending = undefined;
        return this.read(s, ref);
      });
      return this.options.track(s.pending);
    }
    return this.options.track(this.read(slot, ref));
  }

  private limiter(cluster: string): Limiter {
    let limiter = this.limiters.get(cluster);
    if (!limiter) {
      limiter = new Limiter(this.options.concurrency);
      this.limiters.set(cluster, limiter);
    }
    return limiter;
  }

  private read(slot: DetailSlot, ref: CanaryRef): Promise<void> {
    const read = this.limiter(ref.cluster)
      .run(() => this.options.read(ref))
      .catch(error => this.options.onError(ref, error))
      .finally(() => {
        if (slot.running === read) slot.running = undefined;
      });
    slot.running = read;
    return read;
  }
}
