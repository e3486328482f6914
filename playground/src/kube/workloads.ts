/**
 * Simulated deployment controller: after a configurable delay a Deployment's status follows its
 * spec as if pods had rolled out (a ReplicaSet per pod template, like the real controller).
 *
 * Fault injection: a pod template annotated `playground.aviary.dev/never-ready: "true"` rolls out
 * pods that never become ready, so the Deployment reports ProgressDeadlineExceeded once
 * `spec.progressDeadlineSeconds` has passed. `playground.aviary.dev/rollout-delay-ms` on the
 * Deployment overrides the delay for that Deployment.
 */
import { createHash } from 'node:crypto';
import type { ObjectApi } from './objects.js';
import { nowIso } from './objects.js';
import type { ResourceRegistry } from './resources.js';
import type { ObjectStore, StoreEvent } from './store.js';
import { objectKey } from './store.js';
import type { KubeObject } from './types.js';
import { deepClone, deepEqual, isPlainObject } from './types.js';

export const NEVER_READY_ANNOTATION = 'playground.aviary.dev/never-ready';
export const ROLLOUT_DELAY_ANNOTATION = 'playground.aviary.dev/rollout-delay-ms';

const DEPLOYMENTS = 'apps/deployments';
const REPLICASETS = 'apps/replicasets';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (isPlainObject(v) ? v : {});

interface Condition {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

const HASH_CHARS = 'bcdfghjklmnpqrstvwxz2456789';
export function podTemplateHash(template: unknown): string {
  const digest = createHash('sha256')
    .update(JSON.stringify(template ?? {}))
    .digest();
  return [...digest.subarray(0, 10)].map(b => HASH_CHARS[b % HASH_CHARS.length]).join('');
}

interface Rollout {
  generation: number;
  timers: NodeJS.Timeout[];
}

export class WorkloadSimulator {
  private readonly rollouts = new Map<string, Rollout>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: ObjectStore,
    private readonly objects: ObjectApi,
    private readonly registry: ResourceRegistry,
    private readonly rolloutDelayMs: number,
  ) {
    this.unsubscribe = store.onChange(e => this.observe(e));
  }

  stop(): void {
    this.unsubscribe();
    for (const r of this.rollouts.values()) r.timers.forEach(clearTimeout);
    this.rollouts.clear();
  }

  private observe(e: StoreEvent): void {
    if (e.storageKey !== DEPLOYMENTS) return;
    const key = objectKey(e.object.metadata.namespace, e.object.metadata.name ?? '');
    if (e.type === 'DELETED') {
      this.rollouts.get(key)?.timers.forEach(clearTimeout);
      this.rollouts.delete(key);
      return;
    }
    const generation = e.object.metadata.generation ?? 1;
    if (this.rollouts.get(key)?.generation === generation) return;
    if (num(obj(e.object.status).observedGeneration) === generation && this.rollouts.has(key))
      return;
    this.rollouts.get(key)?.timers.forEach(clearTimeout);
    const rollout: Rollout = { generation, timers: [] };
    this.rollouts.set(key, rollout);
    setImmediate(() =>
      this.start(e.object.metadata.namespace ?? '', e.object.metadata.name ?? '', rollout),
    );
  }

  private current(namespace: string, name: string, rollout: Rollout): KubeObject | undefined {
    const d = this.store.get(DEPLOYMENTS, namespace, name);
    if (!d || (d.metadata.generation ?? 1) !== rollout.generation) return undefined;
    if (this.rollouts.get(objectKey(namespace, name)) !== rollout) return undefined;
    return d;
  }

  private start(namespace: string, name: string, rollout: Rollout): void {
    const d = this.current(namespace, name, rollout);
    if (!d) return;
    const spec = obj(d.spec);
    const desired = num(spec.replicas ?? 1);
    const template = obj(spec.template);
    const hash = podTemplateHash(template);
    const rsName = `${name}-${hash}`;
    const previous = obj(d.status);
    const templateChanged = !this.store.get(REPLICASETS, namespace, rsName);
    const oldReady = num(previous.readyReplicas);
    const neverReady = obj(obj(template.metadata).annotations)[NEVER_READY_ANNOTATION] === 'true';
    this.ensureReplicaSet(d, rsName, hash, desired);
    const ready = !templateChanged && !neverReady ? Math.min(oldReady, desired) : oldReady;
    this.writeStatus(d, {
      replicas: templateChanged ? Math.max(desired, oldReady) : desired,
      updatedReplicas: templateChanged ? 0 : desired,
      readyReplicas: ready,
      availableReplicas: ready,
      progressing: {
        status: 'True',
        reason: 'ReplicaSetUpdated',
        message: `ReplicaSet "${rsName}" is progressing.`,
      },
    });
    const annotated = Number(d.metadata.annotations?.[ROLLOUT_DELAY_ANNOTATION]);
    const delay = Number.isFinite(annotated) && annotated >= 0 ? annotated : this.rolloutDelayMs;
    rollout.timers.push(
      setTimeout(
        () => this.progress(namespace, name, rollout, rsName, neverReady, oldReady),
        delay,
      ),
    );
    if (neverReady) {
      const deadline = num(spec.progressDeadlineSeconds ?? 600) * 1000;
      rollout.timers.push(
        setTimeout(() => this.deadlineExceeded(namespace, name, rollout, rsName), deadline),
      );
    }
  }

  private progress(
    namespace: string,
    name: string,
    rollout: Rollout,
    rsName: string,
    neverReady: boolean,
    oldReady: number,
  ): void {
    const d = this.current(namespace, name, rollout);
    if (!d) return;
    const desired = num(obj(d.spec).replicas ?? 1);
    if (neverReady) {
      this.writeStatus(d, {
        replicas: desired + oldReady,
        updatedReplicas: desired,
        readyReplicas: oldReady,
        availableReplicas: oldReady,
        progressing: {
          status: 'True',
          reason: 'ReplicaSetUpdated',
          message: `ReplicaSet "${rsName}" is progressing.`,
        },
      });
      return;
    }
    this.setReplicaSetStatus(namespace, rsName, desired, desired);
    for (const rs of this.ownedReplicaSets(d))
      if (rs.metadata.name !== rsName) this.scaleReplicaSet(rs, 0);
    this.writeStatus(d, {
      replicas: desired,
      updatedReplicas: desired,
      readyReplicas: desired,
      availableReplicas: desired,
      progressing: {
        status: 'True',
        reason: 'NewReplicaSetAvailable',
        message: `ReplicaSet "${rsName}" has successfully progressed.`,
      },
    });
  }

  private deadlineExceeded(
    namespace: string,
    name: string,
    rollout: Rollout,
    rsName: string,
  ): void {
    const d = this.current(namespace, name, rollout);
    if (!d) return;
    const s = obj(d.status);
    this.writeStatus(d, {
      replicas: num(s.replicas),
      updatedReplicas: num(s.updatedReplicas),
      readyReplicas: num(s.readyReplicas),
      availableReplicas: num(s.availableReplicas),
      progressing: {
        status: 'False',
        reason: 'ProgressDeadlineExceeded',
        message: `ReplicaSet "${rsName}" has timed out progressing.`,
      },
    });
  }

  private writeStatus(
    d: KubeObject,
    s: {
      replicas: number;
      updatedReplicas: number;
      readyReplicas: number;
      availableReplicas: number;
      progressing: Omit<Condition, 'type'>;
    },
  ): void {
    const desired = num(obj(d.spec).replicas ?? 1);
    const maxUnavailable = Math.floor(desired * 0.25);
    const now = nowIso();
    const previous = (obj(d.status).conditions ?? []) as Condition[];
    const condition = (type: string, c: Omit<Condition, 'type'>): Condition => {
      const before = previous.find(p => p.type === type);
      const transitioned = !before || before.status !== c.status;
      return {
        type,
        ...c,
        lastUpdateTime: now,
        lastTransitionTime: transitioned ? now : (before.lastTransitionTime ?? now),
      };
    };
    const available = s.availableReplicas >= desired - maxUnavailable;
    const status: Obj = {
      observedGeneration: d.metadata.generation ?? 1,
      replicas: s.replicas,
      updatedReplicas: s.updatedReplicas,
      readyReplicas: s.readyReplicas,
      availableReplicas: s.availableReplicas,
      unavailableReplicas: Math.max(0, s.replicas - s.availableReplicas),
      conditions: [
        condition(
          'Available',
          available
            ? {
                status: 'True',
                reason: 'MinimumReplicasAvailable',
                message: 'Deployment has minimum availability.',
              }
            : {
                status: 'False',
                reason: 'MinimumReplicasUnavailable',
                message: 'Deployment does not have minimum availability.',
              },
        ),
        condition('Progressing', s.progressing),
      ],
    };
    // The API server omits zero counts; clients treat a missing count as 0.
    for (const k of [
      'replicas',
      'updatedReplicas',
      'readyReplicas',
      'availableReplicas',
      'unavailableReplicas',
    ])
      if (status[k] === 0) delete status[k];
    const latest = this.store.get(DEPLOYMENTS, d.metadata.namespace, d.metadata.name ?? '');
    if (!latest || latest.metadata.uid !== d.metadata.uid) return;
    const sameExceptTimes = deepEqual(stripTimes(latest.status), stripTimes(status));
    if (sameExceptTimes) return;
    this.objects.putStored(DEPLOYMENTS, { ...deepClone(latest), status });
  }

  private ownedReplicaSets(d: KubeObject): KubeObject[] {
    return this.store
      .list(REPLICASETS, d.metadata.namespace)
      .filter(rs => rs.metadata.ownerReferences?.some(o => o.uid === d.metadata.uid));
  }

  private ensureReplicaSet(d: KubeObject, rsName: string, hash: string, replicas: number): void {
    const namespace = d.metadata.namespace ?? '';
    const existing = this.store.get(REPLICASETS, namespace, rsName);
    if (existing) {
      if (num(obj(existing.spec).replicas) !== replicas) this.scaleReplicaSet(existing, replicas);
      return;
    }
    const type = this.registry.get('apps', 'replicasets');
    const version = type?.versions[0];
    if (!type || !version) return;
    const spec = obj(d.spec);
    const template = deepClone(obj(spec.template));
    const templateMeta = obj(template.metadata);
    templateMeta.labels = { ...obj(templateMeta.labels), 'pod-template-hash': hash };
    template.metadata = templateMeta;
    const selector = deepClone(obj(spec.selector));
    selector.matchLabels = { ...obj(selector.matchLabels), 'pod-template-hash': hash };
    try {
      this.objects.create({ type, version }, namespace, {
        metadata: {
          name: rsName,
          labels: templateMeta.labels,
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name: d.metadata.name ?? '',
              uid: d.metadata.uid ?? '',
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: { replicas, selector, template },
      });
    } catch {
      // The namespace is terminating or the Deployment went away: nothing to roll out.
    }
  }

  private scaleReplicaSet(rs: KubeObject, replicas: number): void {
    const next = deepClone(rs);
    next.spec = { ...obj(next.spec), replicas };
    next.metadata.generation = (next.metadata.generation ?? 1) + 1;
    next.status = {
      ...obj(next.status),
      replicas,
      readyReplicas: replicas,
      availableReplicas: replicas,
      observedGeneration: next.metadata.generation,
    };
    this.objects.putStored(REPLICASETS, next);
  }

  private setReplicaSetStatus(
    namespace: string,
    name: string,
    replicas: number,
    ready: number,
  ): void {
    const rs = this.store.get(REPLICASETS, namespace, name);
    if (!rs) return;
    const status = {
      replicas,
      readyReplicas: ready,
      availableReplicas: ready,
      fullyLabeledReplicas: replicas,
      observedGeneration: rs.metadata.generation ?? 1,
    };
    if (deepEqual(rs.status, status)) return;
    this.objects.putStored(REPLICASETS, { ...deepClone(rs), status });
  }
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

function stripTimes(status: unknown): unknown {
  const s = deepClone(obj(status));
  s.conditions = ((s.conditions ?? []) as Condition[]).map(
    ({ lastUpdateTime: _u, lastTransitionTime: _t, ...rest }) => rest,
  );
  return s;
}
