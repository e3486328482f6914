// Leader election on a coordination.k8s.io/v1 Lease, in the manner of client-go: a candidate
// takes the lease when it is free or its holder stopped renewing it for a lease duration (as
// observed on our own clock, so clock skew between replicas does not matter); the leader
// renews every retry period and steps down when it cannot renew within the renew deadline.
import { isConflict } from './errors.js';
import { errorText, silentLogger } from './logger.js';
import { LEASES } from './resources.js';
import type { Clock, KubeObject, Logger } from './types.js';
import type { ObjectWriter } from './writer.js';

export interface LeaseSpec {
  holderIdentity?: string | null;
  leaseDurationSeconds?: number;
  acquireTime?: string | null;
  renewTime?: string | null;
  leaseTransitions?: number;
}

export interface Lease extends KubeObject {
  spec?: LeaseSpec;
}

export interface LeaderElectorOptions {
  writer: ObjectWriter;
  /** Lease name and namespace (e.g. aviary-controller-leader in the controller's namespace). */
  name: string;
  namespace: string;
  /** This replica (e.g. the pod name); must differ between replicas. */
  identity: string;
  /** Default 15 s. */
  leaseDurationMs?: number;
  /** Default 10 s: the leader steps down when it could not renew for this long. */
  renewDeadlineMs?: number;
  /** Default 2 s: how often candidates retry and the leader renews. */
  retryPeriodMs?: number;
  clock?: Clock;
  logger?: Logger;
}

export interface LeaderCallbacks {
  /** Start the work; `signal` aborts when leadership is lost or the elector stops. */
  onStartedLeading(signal: AbortSignal): void;
  /** Stop all work at once: another replica may be leading already. */
  onStoppedLeading(): void;
  /** The observed holder changed (including to ourselves). */
  onNewLeader?(identity: string): void;
}

export interface StopOptions {
  /** Give the lease up so another replica leads at once (default true). */
  release?: boolean;
}

/** MicroTime: RFC 3339 with microseconds, as the API server writes Lease times. */
function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export class LeaderElector {
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private stopped = false;
  private leading = false;
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private abort: AbortController | undefined;
  private observed: { record: string; at: number; holder: string } | undefined;

  constructor(private readonly options: LeaderElectorOptions) {
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
    if (this.renewDeadlineMs >= this.leaseDurationMs) {
      throw new Error('renewDeadline must be shorter than leaseDuration');
    }
    this.clock = options.clock ?? (() => new Date());
    this.logger = options.logger ?? silentLogger;
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** Campaigns until `stop()`; resolves when stopped. Losing the lease means campaigning again. */
  run(callbacks: LeaderCallbacks): Promise<void> {
    if (this.running) throw new Error('LeaderElector.run called twice');
    this.stopped = false;
    this.running = this.loop(callbacks);
    return this.running;
  }

  /** Stops campaigning, steps down (calling onStoppedLeading) and by default releases the lease. */
  async stop(options: StopOptions = {}): Promise<void> {
    this.stopped = true;
    this.interrupt();
    await this.running;
    this.running = undefined;
    if (options.release !== false) await this.release();
  }

  private async loop(callbacks: LeaderCallbacks): Promise<void> {
    while (!this.stopped) {
      if (!(await this.tryAcquireOrRenew(callbacks))) {
        await this.sleep(this.retryPeriodMs);
        continue;
      }
      if (this.stopped) break; // stop() raced the acquisition: release() gives it back
      this.leading = true;
      this.abort = new AbortController();
      this.logger.info('became leader', {
        lease: this.options.name,
        identity: this.options.identity,
      });
      safely(() => callbacks.onStartedLeading(this.abort?.signal ?? new AbortController().signal));
      let renewed = this.clock().getTime();
      while (!this.stopped) {
        await this.sleep(this.retryPeriodMs);
        if (this.stopped) break;
        if (await this.tryAcquireOrRenew(callbacks)) {
          renewed = this.clock().getTime();
        } else if (this.holder() !== this.options.identity || this.pastDeadline(renewed)) {
          break;
        }
      }
      this.leading = false;
      this.abort.abort();
      this.logger.info('stopped leading', {
        lease: this.options.name,
        identity: this.options.identity,
      });
      safely(() => callbacks.onStoppedLeading());
    }
  }

  private pastDeadline(renewed: number): boolean {
    return this.clock().getTime() - renewed >= this.renewDeadlineMs;
  }

  private holder(): string {
    return this.observed?.holder ?? '';
  }

  /** One attempt: read the lease, and take or renew it when allowed. */
  private async tryAcquireOrRenew(callbacks: LeaderCallbacks): Promise<boolean> {
    const { writer, name, namespace, identity } = this.options;
    const now = this.clock();
    const durationSeconds = Math.max(1, Math.ceil(this.leaseDurationMs / 1000));
    try {
      const live = await writer.read<Lease>(LEASES, namespace, name);
      if (!live) {
        const created = await writer.create<Lease>(LEASES, {
          metadata: { name, namespace },
          spec: {
            holderIdentity: identity,
            leaseDurationSeconds: durationSeconds,
            acquireTime: microTime(now),
            renewTime: microTime(now),
            leaseTransitions: 0,
          },
        });
        this.observe(created, callbacks);
        return true;
      }
      this.observe(live, callbacks);
      const holder = live.spec?.holderIdentity ?? '';
      if (holder && holder !== identity && !this.expired()) return false;
      const spec = live.spec ?? {};
      const taking = holder !== identity;
      const updated = await writer.replace<Lease>(LEASES, {
        ...live,
        spec: {
          ...spec,
          holderIdentity: identity,
          leaseDurationSeconds: durationSeconds,
          renewTime: microTime(now),
          ...(taking
            ? {
                acquireTime: microTime(now),
                leaseTransitions: (spec.leaseTransitions ?? 0) + (holder ? 1 : 0),
              }
            : {}),
        },
      });
      this.observe(updated, callbacks);
      return true;
    } catch (err) {
      if (!isConflict(err)) {
        this.logger.warn('lease update failed', { lease: name, error: errorText(err) });
      }
      return false;
    }
  }

  /** Remembers when the lease record last changed, on our clock. */
  private observe(lease: Lease, callbacks: LeaderCallbacks): void {
    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    const record = JSON.stringify([holder, spec.renewTime, spec.acquireTime]);
    if (this.observed?.record === record) return;
    const previous = this.observed?.holder;
    this.observed = { record, at: this.clock().getTime(), holder };
    if (holder && holder !== previous) safely(() => callbacks.onNewLeader?.(holder));
  }

  private expired(): boolean {
    if (!this.observed) return true;
    return this.clock().getTime() >= this.observed.at + this.leaseDurationMs;
  }

  private async release(): Promise<void> {
    const { writer, name, namespace, identity } = this.options;
    try {
      const live = await writer.read<Lease>(LEASES, namespace, name);
      if (!live || live.spec?.holderIdentity !== identity) return;
      await writer.replace<Lease>(LEASES, {
        ...live,
        spec: {
          ...live.spec,
          holderIdentity: null,
          leaseDurationSeconds: 1,
          renewTime: microTime(this.clock()),
        },
      });
    } catch (err) {
      this.logger.warn('could not release lease', { lease: name, error: errorText(err) });
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise(resolve => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, ms);
    });
  }

  private interrupt(): void {
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
  }
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // A callback's failure must not stop the election loop; callers log their own errors.
  }
}
