/**
 * The simulated deployment controller, seen through client-node: a Deployment's status follows
 * its spec after the rollout delay (observedGeneration, replica counts, Progressing/Available),
 * template changes roll out a new ReplicaSet, scaling to zero works, and the never-ready fault
 * injection ends in ProgressDeadlineExceeded.
 */
import type * as k8s from '@kubernetes/client-node';
import {
  NEVER_READY_ANNOTATION,
  ROLLOUT_DELAY_ANNOTATION,
  startKubeEmulator,
} from '../../src/index.js';
import type { KubeEmulator } from '../../src/index.js';
import type { Clients, RawWatch } from '../support/kube-client.js';
import {
  asMergePatch,
  asStrategicMergePatch,
  clientsFor,
  deployment,
  eventually,
  failure,
  rawWatch,
} from '../support/kube-client.js';

let emulator: KubeEmulator;
let c: Clients;
const NS = 'wl';

beforeAll(async () => {
  emulator = await startKubeEmulator({ rolloutDelayMs: 20 });
  c = clientsFor(emulator);
  await c.core.createNamespace({ body: { metadata: { name: NS } } });
});
afterAll(() => emulator.stop());

/** The parts of a Deployment status a rollout check reads (condition times left out). */
function summary(status: any) {
  if (!status) return undefined;
  return {
    observedGeneration: status.observedGeneration,
    replicas: status.replicas ?? 0,
    updatedReplicas: status.updatedReplicas ?? 0,
    readyReplicas: status.readyReplicas ?? 0,
    availableReplicas: status.availableReplicas ?? 0,
    unavailableReplicas: status.unavailableReplicas ?? 0,
    conditions: Object.fromEntries(
      (status.conditions ?? []).map((x: any) => [x.type, `${x.status} ${x.reason}`]),
    ),
  };
}

const watchDeployment = (name: string) =>
  rawWatch(
    emulator,
    `/apis/apps/v1/namespaces/${NS}/deployments?watch=1&resourceVersion=${emulator.resourceVersion()}&fieldSelector=metadata.name%3D${name}`,
  );

/** Distinct status summaries in the order the watch delivered them. */
const statusHistory = (w: RawWatch) => {
  const seen: unknown[] = [];
  for (const e of w.events) {
    const s = summary(e.object.status);
    if (s && JSON.stringify(s) !== JSON.stringify(seen[seen.length - 1])) seen.push(s);
  }
  return seen;
};

const complete = (name: string, generation: number, replicas: number) =>
  eventually(
    async () => {
      const d = await c.apps.readNamespacedDeployment({ name, namespace: NS });
      const s = d.status;
      const done =
        s?.observedGeneration === generation &&
        (s.updatedReplicas ?? 0) === replicas &&
        (s.availableReplicas ?? 0) === replicas &&
        (s.replicas ?? 0) === replicas &&
        s.conditions?.find(x => x.type === 'Progressing')?.reason === 'NewReplicaSetAvailable';
      return done ? d : undefined;
    },
    10_000,
    `${name} generation ${generation} rolled out to ${replicas}`,
  );

const replicaSetsOf = async (name: string) =>
  (
    await c.apps.listNamespacedReplicaSet({ namespace: NS, labelSelector: `app=${name}` })
  ).items.sort((a, b) => ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1));

describe('deployment rollouts', () => {
  it('reports a new Deployment progressing, then available once the rollout delay has passed', async () => {
    const w = await watchDeployment('web');
    try {
      const created = await c.apps.createNamespacedDeployment({
        namespace: NS,
        body: deployment('web', { replicas: 3 }),
      });
      expect(created.status).toBeUndefined();
      const done = await complete('web', 1, 3);
      await w.next(
        e => summary(e.object.status)?.conditions.Progressing === 'True NewReplicaSetAvailable',
      );
      expect(statusHistory(w)).toEqual([
        {
          observedGeneration: 1,
          replicas: 3,
          updatedReplicas: 0,
          readyReplicas: 0,
          availableReplicas: 0,
          unavailableReplicas: 3,
          conditions: {
            Available: 'False MinimumReplicasUnavailable',
            Progressing: 'True ReplicaSetUpdated',
          },
        },
        {
          observedGeneration: 1,
          replicas: 3,
          updatedReplicas: 3,
          readyReplicas: 3,
          availableReplicas: 3,
          unavailableReplicas: 0,
          conditions: {
            Available: 'True MinimumReplicasAvailable',
            Progressing: 'True NewReplicaSetAvailable',
          },
        },
      ]);
      const progressing = done.status?.conditions?.find(x => x.type === 'Progressing');
      expect(progressing?.message).toMatch(
        /^ReplicaSet "web-[a-z0-9]+" has successfully progressed\.$/,
      );
      expect(progressing?.lastUpdateTime).toBeInstanceOf(Date);
      expect(progressing?.lastTransitionTime).toBeInstanceOf(Date);
      const available = done.status?.conditions?.find(x => x.type === 'Available');
      expect(available?.message).toBe('Deployment has minimum availability.');

      const [rs] = await replicaSetsOf('web');
      const hash = rs?.metadata?.labels?.['pod-template-hash'];
      expect(rs?.metadata?.name).toBe(`web-${hash}`);
      expect(rs?.metadata?.ownerReferences).toEqual([
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'web',
          uid: created.metadata?.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
      expect(rs?.spec?.replicas).toBe(3);
      expect(rs?.spec?.selector.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
      expect(rs?.status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3 });
    } finally {
      w.close();
    }
  });

  it('rolls a template change out as a new ReplicaSet and scales the old one down', async () => {
    await c.apps.createNamespacedDeployment({
      namespace: NS,
      body: deployment('roll', { replicas: 2, image: 'podinfo:6.0.0' }),
    });
    await complete('roll', 1, 2);
    const [oldRs] = await replicaSetsOf('roll');
    const w = await watchDeployment('roll');
    try {
      const updated = await c.apps.patchNamespacedDeployment(
        {
          name: 'roll',
          namespace: NS,
          body: {
            spec: { template: { spec: { containers: [{ name: 'app', image: 'podinfo:6.1.0' }] } } },
          },
        },
        asStrategicMergePatch(),
      );
      expect(updated.metadata?.generation).toBe(2);
      await complete('roll', 2, 2);
      await w.next(
        e =>
          summary(e.object.status)?.observedGeneration === 2 &&
          e.object.status.updatedReplicas === 2,
      );
      // The spec change itself arrives with the previous status: generation 2 not yet observed.
      expect(w.events[0]?.object.metadata.generation).toBe(2);
      expect(w.events[0]?.object.status.observedGeneration).toBe(1);
      const history = (statusHistory(w) as Array<ReturnType<typeof summary>>).filter(
        s => s?.observedGeneration === 2,
      );
      // While the new pods start, the old ones keep the Deployment available.
      expect(history[0]).toMatchObject({
        observedGeneration: 2,
        updatedReplicas: 0,
        readyReplicas: 2,
        availableReplicas: 2,
      });
      expect(history[0]?.conditions).toEqual({
        Available: 'True MinimumReplicasAvailable',
        Progressing: 'True ReplicaSetUpdated',
      });
      expect(history[history.length - 1]).toMatchObject({
        observedGeneration: 2,
        updatedReplicas: 2,
        readyReplicas: 2,
      });

      const sets = await replicaSetsOf('roll');
      expect(sets).toHaveLength(2);
      const old = sets.find(s => s.metadata?.name === oldRs?.metadata?.name);
      const fresh = sets.find(s => s.metadata?.name !== oldRs?.metadata?.name);
      expect(old?.spec?.replicas).toBe(0);
      expect(fresh?.spec?.replicas).toBe(2);
      expect(fresh?.spec?.template?.spec?.containers[0]?.image).toBe('podinfo:6.1.0');
    } finally {
      w.close();
    }
  });

  it('scales to zero and back through the scale subresource', async () => {
    await c.apps.createNamespacedDeployment({
      namespace: NS,
      body: deployment('scaler', { replicas: 2 }),
    });
    await complete('scaler', 1, 2);
    const scale = await c.apps.readNamespacedDeploymentScale({ name: 'scaler', namespace: NS });
    expect(scale.spec?.replicas).toBe(2);
    expect(scale.status?.replicas).toBe(2);
    const zero = await c.apps.replaceNamespacedDeploymentScale({
      name: 'scaler',
      namespace: NS,
      body: { ...scale, spec: { replicas: 0 } },
    });
    expect(zero.spec?.replicas).toBe(0);
    // The Scale read before that write is stale now: a conditional update conflicts.
    const stale = await failure(
      c.apps.replaceNamespacedDeploymentScale({
        name: 'scaler',
        namespace: NS,
        body: { ...scale, spec: { replicas: 5 } },
      }),
    );
    expect(stale.code).toBe(409);
    expect(stale.status.message).toBe(
      'Operation cannot be fulfilled on deployments.apps "scaler": the object has been modified; please apply your changes to the latest version and try again',
    );
    const scaledDown = await eventually(async () => {
      const d = await c.apps.readNamespacedDeployment({ name: 'scaler', namespace: NS });
      return d.status?.observedGeneration === 2 &&
        d.status.replicas === undefined &&
        d.status.conditions?.find(x => x.type === 'Progressing')?.reason ===
          'NewReplicaSetAvailable'
        ? d
        : undefined;
    });
    expect(scaledDown.spec?.replicas).toBe(0);
    expect(scaledDown.status?.readyReplicas).toBeUndefined();
    expect(scaledDown.status?.availableReplicas).toBeUndefined();
    expect(scaledDown.status?.conditions?.find(x => x.type === 'Available')?.status).toBe('True');
    const [rs] = await replicaSetsOf('scaler');
    expect(rs?.spec?.replicas).toBe(0);
    expect(await replicaSetsOf('scaler')).toHaveLength(1);

    await c.apps.patchNamespacedDeploymentScale(
      { name: 'scaler', namespace: NS, body: { spec: { replicas: 4 } } },
      asMergePatch(),
    );
    const back = await complete('scaler', 3, 4);
    expect(back.status?.readyReplicas).toBe(4);
  });

  it('never readies pods annotated never-ready and reports ProgressDeadlineExceeded after the deadline', async () => {
    await c.apps.createNamespacedDeployment({
      namespace: NS,
      body: deployment('stuck', { replicas: 2 }),
    });
    await complete('stuck', 1, 2);
    const w = await watchDeployment('stuck');
    try {
      await c.apps.patchNamespacedDeployment(
        {
          name: 'stuck',
          namespace: NS,
          body: {
            spec: {
              progressDeadlineSeconds: 1,
              template: {
                metadata: { annotations: { [NEVER_READY_ANNOTATION]: 'true' } },
                spec: { containers: [{ name: 'app', image: 'podinfo:bad' }] },
              },
            },
          },
        },
        asStrategicMergePatch(),
      );
      const exceeded = await w.next(
        e => e.object.status?.conditions?.some((x: any) => x.reason === 'ProgressDeadlineExceeded'),
        15_000,
      );
      const progressing = exceeded.object.status.conditions.find(
        (x: any) => x.type === 'Progressing',
      );
      expect(progressing).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
      expect(progressing.message).toMatch(
        /^ReplicaSet "stuck-[a-z0-9]+" has timed out progressing\.$/,
      );
      // The new pods exist but never become ready; the old ones still serve.
      expect(summary(exceeded.object.status)).toMatchObject({
        observedGeneration: 2,
        updatedReplicas: 2,
        readyReplicas: 2,
        replicas: 4,
      });
      expect(
        statusHistory(w).every((s: any) => s.readyReplicas <= 2 && s.availableReplicas <= 2),
      ).toBe(true);
      const sets = await replicaSetsOf('stuck');
      const fresh = sets.find(
        s => s.spec?.template?.metadata?.annotations?.[NEVER_READY_ANNOTATION] === 'true',
      );
      expect(fresh?.status?.readyReplicas ?? 0).toBe(0);

      // Fixing the template rolls out normally again.
      await c.apps.patchNamespacedDeployment(
        {
          name: 'stuck',
          namespace: NS,
          body: {
            spec: {
              template: {
                metadata: { annotations: { [NEVER_READY_ANNOTATION]: null } },
                spec: { containers: [{ name: 'app', image: 'podinfo:good' }] },
              },
            },
          },
        },
        asStrategicMergePatch(),
      );
      const fixed = await complete('stuck', 3, 2);
      expect(fixed.status?.conditions?.find(x => x.type === 'Progressing')?.status).toBe('True');
    } finally {
      w.close();
    }
  });

  it('never readies a brand-new never-ready Deployment: unavailable, then deadline exceeded', async () => {
    const body = deployment('dud', {
      replicas: 1,
      progressDeadlineSeconds: 1,
      annotations: { [NEVER_READY_ANNOTATION]: 'true' },
    });
    await c.apps.createNamespacedDeployment({ namespace: NS, body });
    const d = await eventually(
      async () => {
        const cur = await c.apps.readNamespacedDeployment({ name: 'dud', namespace: NS });
        return cur.status?.conditions?.some(x => x.reason === 'ProgressDeadlineExceeded')
          ? cur
          : undefined;
      },
      15_000,
      'ProgressDeadlineExceeded',
    );
    expect(summary(d.status)).toEqual({
      observedGeneration: 1,
      replicas: 1,
      updatedReplicas: 1,
      readyReplicas: 0,
      availableReplicas: 0,
      unavailableReplicas: 1,
      conditions: {
        Available: 'False MinimumReplicasUnavailable',
        Progressing: 'False ProgressDeadlineExceeded',
      },
    });
  });

  it('honours a per-Deployment rollout delay annotation', async () => {
    const slow: k8s.V1Deployment = deployment('slow', { replicas: 1 });
    slow.metadata = { ...slow.metadata, annotations: { [ROLLOUT_DELAY_ANNOTATION]: '600000' } };
    await c.apps.createNamespacedDeployment({ namespace: NS, body: slow });
    await c.apps.createNamespacedDeployment({
      namespace: NS,
      body: deployment('quick', { replicas: 1 }),
    });
    await complete('quick', 1, 1);
    // Both rollouts started together; the slow one has observed its spec but is not ready yet.
    const s = await eventually(async () => {
      const cur = await c.apps.readNamespacedDeployment({ name: 'slow', namespace: NS });
      return cur.status?.observedGeneration === 1 ? cur : undefined;
    });
    expect(summary(s.status)).toMatchObject({ readyReplicas: 0, updatedReplicas: 0 });
    await c.apps.deleteNamespacedDeployment({ name: 'slow', namespace: NS });
  });

  it('stops rolling out a Deployment deleted mid-rollout and collects its ReplicaSet', async () => {
    const slow: k8s.V1Deployment = deployment('gone', { replicas: 1 });
    slow.metadata = { ...slow.metadata, annotations: { [ROLLOUT_DELAY_ANNOTATION]: '600000' } };
    await c.apps.createNamespacedDeployment({ namespace: NS, body: slow });
    await eventually(async () => (await replicaSetsOf('gone')).length === 1);
    await c.apps.deleteNamespacedDeployment({ name: 'gone', namespace: NS });
    await eventually(
      async () => (await replicaSetsOf('gone')).length === 0,
      10_000,
      'replicaset collected',
    );
    const list = await c.apps.listNamespacedDeployment({
      namespace: NS,
      fieldSelector: 'metadata.name=gone',
    });
    expect(list.items).toEqual([]);
  });
});
