// `--max-progressing N`: a global cap on canaries analysing at once (Flagger issue #1069: a
// shared ConfigMap change started every canary together and exhausted the cluster). A canary
// whose tick would start an analysis while N others are in an active phase does not start: its
// tick is dropped (nothing is applied, so it stays where it was) and it waits, re-checked when a
// slot frees up and at least once per analysis interval. Counting reads the Canary cache plus
// the starts this process granted but has not seen committed yet, so two ticks racing for the
// last slot cannot both take it.
import type { Canary, CanaryPhase } from '../api/types.js';
import type { Action } from '../engine/types.js';

const ACTIVE: ReadonlySet<CanaryPhase> = new Set<CanaryPhase>([
  'Progressing',
  'WaitingPromotion',
  'Promoting',
  'Finalising',
]);

export function isActive(phase: CanaryPhase | undefined): boolean {
  return phase !== undefined && ACTIVE.has(phase);
}

/** The tick's actions move the canary from an idle phase into an analysis. */
export function startsAnalysis(canary: Canary, actions: readonly Action[]): boolean {
  if (isActive(canary.status?.phase)) return false;
  const write = actions.find(a => a.type === 'writeStatus');
  return write?.type === 'writeStatus' && write.status.phase === 'Progressing';
}

/** The committed status took the canary out of the active phases: a slot is free. */
export function leftActive(before: Canary, after: Canary): boolean {
  return isActive(before.status?.phase) && !isActive(after.status?.phase);
}

export class ProgressingSlots {
  private readonly granted = new Set<string>();
  private readonly waiting = new Set<string>();

  constructor(
    readonly limit: number,
    /** Every canary with its latest known status, keyed like the queue. */
    private readonly canaries: () => Iterable<[string, Canary]>,
  ) {}

  /** Synchronous check-and-take, so concurrent ticks see each other's grants. */
  tryAcquire(key: string): { ok: true } | { ok: false; busy: number } {
    const busy = new Set(this.granted);
    for (const [other, canary] of this.canaries()) {
      if (isActive(canary.status?.phase)) busy.add(other);
    }
    busy.delete(key);
    if (busy.size >= this.limit) {
      this.waiting.add(key);
      return { ok: false, busy: busy.size };
    }
    this.waiting.delete(key);
    this.granted.add(key);
    return { ok: true };
  }

  /** After the tick: its status (committed or not) is now what the cache/overlay shows. */
  release(key: string): void {
    this.granted.delete(key);
  }

  /** Canaries waiting for a slot, to re-run when one frees up. */
  takeWaiting(): string[] {
    const keys = [...this.waiting];
    this.waiting.clear();
    return keys;
  }

  forget(key: string): void {
    this.granted.delete(key);
    this.waiting.delete(key);
  }
}
