// ensurePrimary / copyTargetToPrimary / ensurePrimaryAutoscaler / scaleTarget against the
// emulated API server, whose simulated rollouts tell whether the written Deployments would run.
import {
  CANARIES,
  CONFIGMAPS,
  DEPLOYMENTS,
  HORIZONTAL_POD_AUTOSCALERS,
  ResourceCache,
  retryOnConflict,
  SECRETS,
  type KubeObject,
  type ResourceType,
} from '../kube/index.js';
import { eventually, startTestCluster, type TestCluster } from '../kube/test-support/cluster.js';
import { canary, hpa, target, targetConfigs } from './__fixtures__/objects.js';
import { WorkloadError, type ObjectReader, type WorkloadContext } from './api.js';
import {
  copyTargetToPrimary,
  ensurePrimary,
  ensurePrimaryAutoscaler,
  scaleTarget,
} from './apply.js';
import { observeDeployment, observePrimary } from './observe.js';
import type { Canary } from '../api/types.js';
import type { ConfigMap, Deployment, HorizontalPodAutoscaler } from './types.js';

let cluster: TestCluster;
let ctx: WorkloadContext;

beforeAll(async () => {
  cluster = await startTestCluster({ rolloutDelayMs: 20 });
  const read: ObjectReader = (type, namespace, name) => cluster.writer.read(type, namespace, name);
  ctx = { writer: cluster.writer, read };
});
afterAll(() => cluster.stop());

const typeOf = (o: KubeObject): ResourceType => (o.kind === 'Secret' ? SECRETS : CONFIGMAPS);

/**
 * A namespace with the target, all its configs and the Canary. The Canary must exist: the
 * emulator garbage-collects objects whose owner does not.
 */
async function setup(prefix: string, edit: (dep: Deployment) => void = () => undefined) {
  const ns = await cluster.namespace(prefix);
  for (const config of targetConfigs(ns)) await cluster.writer.create(typeOf(config), config);
  const dep = target(ns);
  edit(dep);
  await cluster.writer.create(DEPLOYMENTS, dep);
  return { ns, canary: await createCanary(ns) };
}

async function createCanary(ns: string, spec: Partial<Canary['spec']> = {}): Promise<Canary> {
  const c = canary(spec);
  return cluster.writer.create<Canary>(CANARIES, {
    ...c,
    metadata: { name: `podinfo-${++canaries}`, namespace: ns },
  });
}
let canaries = 0;

function withNamespace(c: Canary, ns: string): Canary {
  return { ...c, metadata: { ...c.metadata, namespace: ns } };
}

const read = <T extends KubeObject>(type: ResourceType, ns: string, name: string) =>
  cluster.writer.read<T>(type, ns, name);
const primaryOf = (ns: string) => read<Deployment>(DEPLOYMENTS, ns, 'podinfo-primary');

/** Rolled out as the emulator simulates it: observed, updated and available. */
async function rolledOut(ns: string, name: string, replicas: number) {
  return eventually(async () => {
    const dep = await read<Deployment>(DEPLOYMENTS, ns, name);
    if (!dep) return false;
    const o = observeDeployment(dep);
    const available = o.conditions.find(c => c.type === 'Available')?.status === 'True';
    return (
      o.observedGeneration === o.generation &&
      o.specReplicas === replicas &&
      o.updatedReplicas === replicas &&
      o.availableReplicas === replicas &&
      available &&
      o
    );
  }, `${name} to roll out ${replicas} replicas`);
}

/** A user's edit of the target (retried: the simulated rollout writes status concurrently). */
async function editTarget(ns: string, edit: (dep: Deployment) => void) {
  await retryOnConflict(async () => {
    const live = await read<Deployment>(DEPLOYMENTS, ns, 'podinfo');
    if (!live) throw new Error('no target');
    edit(live);
    await cluster.writer.replace(DEPLOYMENTS, live);
  });
}

describe('ensurePrimary', () => {
  it('creates the primary configs and Deployment, which rolls out; a second call writes nothing', async () => {
    const { ns, canary: c } = await setup('ensure');
    const first = await ensurePrimary(ctx, c, 'rev-1');
    // Configs first, so the primary's pods never reference a config that does not exist yet.
    expect(first.changes).toEqual([
      `created ConfigMap ${ns}/init-env-primary`,
      `created ConfigMap ${ns}/podinfo-env-primary`,
      `created Secret ${ns}/podinfo-secret-primary`,
      `created Secret ${ns}/podinfo-secret-env-primary`,
      `created ConfigMap ${ns}/podinfo-config-primary`,
      `created Secret ${ns}/podinfo-tls-primary`,
      `created ConfigMap ${ns}/podinfo-projected-primary`,
      `created Secret ${ns}/podinfo-projected-secret-primary`,
      `created Deployment ${ns}/podinfo-primary`,
    ]);
    const primary = await primaryOf(ns);
    expect(primary && observePrimary(primary).revision).toBe('rev-1');
    expect(primary?.spec?.selector.matchLabels).toEqual({ app: 'podinfo-primary' });
    expect(primary?.metadata?.ownerReferences).toEqual([
      {
        apiVersion: 'aviary.dev/v1beta1',
        kind: 'Canary',
        name: c.metadata.name,
        uid: c.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    const tls = await read<KubeObject & { type?: string }>(SECRETS, ns, 'podinfo-tls-primary');
    expect(tls?.type).toBe('kubernetes.io/tls');
    const observed = await rolledOut(ns, 'podinfo-primary', 2);
    expect(observed.readyReplicas).toBe(2);
    // Rolled out, nothing moves any more: a repeat must not write at all.
    const version = (await primaryOf(ns))?.metadata?.resourceVersion;
    expect(await ensurePrimary(ctx, c, 'rev-1')).toEqual({ changes: [], warnings: [] });
    expect((await primaryOf(ns))?.metadata?.resourceVersion).toBe(version);
  });

  it('leaves an existing primary alone, whatever the target now has', async () => {
    const { ns, canary: c } = await setup('ensure-existing');
    await ensurePrimary(ctx, c, 'rev-1');
    await editTarget(ns, dep => {
      const container = dep.spec?.template.spec?.containers[0];
      if (container) container.image = 'podinfo:6.1.0';
    });
    expect(await ensurePrimary(ctx, c, 'rev-2')).toEqual({ changes: [], warnings: [] });
    const primary = await primaryOf(ns);
    expect(primary?.spec?.template.spec?.containers[0]?.image).toBe(
      'ghcr.io/stefanprodan/podinfo:6.0.0',
    );
    expect(primary && observePrimary(primary).revision).toBe('rev-1');
  });

  it('re-creates a deleted primary config (same revision), without touching existing ones', async () => {
    const { ns, canary: c } = await setup('ensure-heal');
    await ensurePrimary(ctx, c, 'rev-1');
    await cluster.writer.delete(CONFIGMAPS, ns, 'podinfo-config-primary');
    await cluster.writer.mergePatch(CONFIGMAPS, ns, 'podinfo-env', { data: { color: 'green' } });
    const healed = await ensurePrimary(ctx, c, 'rev-1');
    expect(healed.changes).toEqual([`created ConfigMap ${ns}/podinfo-config-primary`]);
    const env = await read<ConfigMap>(CONFIGMAPS, ns, 'podinfo-env-primary');
    expect(env?.data).toEqual({ color: 'blue' }); // data changes wait for a promotion
  });

  it('creates a primary that never becomes ready when its pods never do: ProgressDeadlineExceeded', async () => {
    const { ns, canary: c } = await setup('ensure-stuck', dep => {
      if (!dep.spec) return;
      dep.spec.progressDeadlineSeconds = 1;
      const meta = (dep.spec.template.metadata ??= {});
      meta.annotations = { ...meta.annotations, 'playground.aviary.dev/never-ready': 'true' };
    });
    await ensurePrimary(ctx, c, 'rev-1');
    const stuck = await eventually(async () => {
      const primary = await primaryOf(ns);
      const progressing = primary
        ? observeDeployment(primary).conditions.find(x => x.type === 'Progressing')
        : undefined;
      return progressing?.reason === 'ProgressDeadlineExceeded' && primary;
    }, 'the primary to exceed its progress deadline');
    const observed = observeDeployment(stuck);
    expect(observed.conditions.find(x => x.type === 'Progressing')?.status).toBe('False');
    expect(observed.availableReplicas).toBe(0);
  });

  it.each([
    ['a missing target', 'missing-target', 'deployment podinfo.<ns> not found'],
    ['a missing required config', 'missing-config', 'configmap podinfo-env.<ns> not found'],
  ])('refuses %s with a WorkloadError', async (_name, prefix, message) => {
    const ns = await cluster.namespace(prefix);
    if (prefix === 'missing-config') {
      for (const config of targetConfigs(ns)) {
        if (config.metadata?.name !== 'podinfo-env')
          await cluster.writer.create(typeOf(config), config);
      }
      await cluster.writer.create(DEPLOYMENTS, target(ns));
    }
    const err = await ensurePrimary(ctx, withNamespace(canary(), ns), 'r').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkloadError);
    expect((err as Error).message).toContain(message.replace('<ns>', ns));
    expect(await primaryOf(ns)).toBeUndefined();
  });
});

describe('copyTargetToPrimary', () => {
  it('promotes the target’s template and config data, stamped; the primary rolls out again', async () => {
    const { ns, canary: c } = await setup('copy');
    await ensurePrimary(ctx, c, 'rev-1');
    const before = await rolledOut(ns, 'podinfo-primary', 2);
    await editTarget(ns, dep => {
      const container = dep.spec?.template.spec?.containers[0];
      if (container) container.image = 'podinfo:6.1.0';
      if (dep.spec) dep.spec.replicas = 3;
    });
    await cluster.writer.mergePatch(CONFIGMAPS, ns, 'podinfo-env', { data: { color: 'green' } });
    const copied = await copyTargetToPrimary(ctx, c, 'rev-2');
    expect(copied.changes).toEqual([
      `updated ConfigMap ${ns}/podinfo-env-primary`,
      `updated Deployment ${ns}/podinfo-primary`,
    ]);
    const primary = await primaryOf(ns);
    expect(primary?.spec?.template.spec?.containers[0]?.image).toBe('podinfo:6.1.0');
    expect(primary && observePrimary(primary).revision).toBe('rev-2');
    expect(primary?.spec?.template.metadata?.annotations?.['aviary.dev/revision']).toBe('rev-2');
    expect((await read<ConfigMap>(CONFIGMAPS, ns, 'podinfo-env-primary'))?.data).toEqual({
      color: 'green',
    });
    const after = await rolledOut(ns, 'podinfo-primary', 3);
    expect(after.generation).toBeGreaterThan(before.generation);
    expect(await copyTargetToPrimary(ctx, c, 'rev-2')).toEqual({ changes: [], warnings: [] });
  });

  it('rolls the primary when only config data changed (the stamp is in the pod template)', async () => {
    const { ns, canary: c } = await setup('copy-config');
    await ensurePrimary(ctx, c, 'rev-1');
    const before = await rolledOut(ns, 'podinfo-primary', 2);
    await cluster.writer.mergePatch(SECRETS, ns, 'podinfo-secret', { data: { token: 'bmV3' } });
    await copyTargetToPrimary(ctx, c, 'rev-1b');
    const after = await rolledOut(ns, 'podinfo-primary', 2);
    expect(after.generation).toBe(before.generation + 1);
  });

  it('keeps the primary’s replicas when the target is parked at zero', async () => {
    const { ns, canary: c } = await setup('copy-parked');
    await ensurePrimary(ctx, c, 'rev-1');
    await scaleTarget(ctx, c, 0);
    await copyTargetToPrimary(ctx, c, 'rev-2');
    expect((await primaryOf(ns))?.spec?.replicas).toBe(2);
  });

  it('creates the primary when it is missing', async () => {
    const { ns, canary: c } = await setup('copy-missing');
    const result = await copyTargetToPrimary(ctx, c, 'rev-1');
    expect(result.changes).toContain(`created Deployment ${ns}/podinfo-primary`);
    expect((await primaryOf(ns))?.metadata?.annotations?.['aviary.dev/revision']).toBe('rev-1');
  });

  it('recovers from a stale read (a lagging cache): the conflict re-reads and the copy goes through', async () => {
    const { ns, canary: c } = await setup('copy-stale');
    await ensurePrimary(ctx, c, 'rev-1');
    const stale = await primaryOf(ns);
    // Someone (a previous tick whose write the cache has not seen) changes the primary.
    await cluster.writer.mergePatch(DEPLOYMENTS, ns, 'podinfo-primary', {
      metadata: { labels: { touched: 'yes' } },
    });
    const lagging: ObjectReader = (type, namespace, name) =>
      type === DEPLOYMENTS && name === 'podinfo-primary'
        ? stale
        : cluster.writer.read(type, namespace, name);
    await editTarget(ns, dep => {
      const container = dep.spec?.template.spec?.containers[0];
      if (container) container.image = 'podinfo:6.2.0';
    });
    const result = await copyTargetToPrimary({ ...ctx, read: lagging }, c, 'rev-2');
    expect(result.changes).toEqual([`updated Deployment ${ns}/podinfo-primary`]);
    const primary = await primaryOf(ns);
    expect(primary?.spec?.template.spec?.containers[0]?.image).toBe('podinfo:6.2.0');
    expect(primary?.metadata?.labels?.touched).toBe('yes');
  });
});

describe('with informer caches as the reader (the runtime’s wiring)', () => {
  it('converges through back-to-back ticks while the caches lag: one create, then no writes', async () => {
    const { ns, canary: c } = await setup('cached');
    const caches = new Map<ResourceType, ResourceCache<KubeObject>>(
      [DEPLOYMENTS, CONFIGMAPS, SECRETS, HORIZONTAL_POD_AUTOSCALERS].map(type => [
        type,
        new ResourceCache<KubeObject>(cluster.client, { type, namespace: ns }),
      ]),
    );
    await Promise.all([...caches.values()].map(cache => cache.start()));
    const cached: ObjectReader = (type, namespace, name) => caches.get(type)?.get(namespace, name);
    const cachedCtx = { ...ctx, read: cached };
    try {
      const changes: string[] = [];
      for (let tick = 0; tick < 5; tick++) {
        changes.push(...(await ensurePrimary(cachedCtx, c, 'rev-1')).changes);
      }
      expect(changes.filter(x => x.includes('Deployment'))).toEqual([
        `created Deployment ${ns}/podinfo-primary`,
      ]);
      await eventually(
        () => caches.get(DEPLOYMENTS)?.get(ns, 'podinfo-primary'),
        'the cache to see the primary',
      );
      expect(await ensurePrimary(cachedCtx, c, 'rev-1')).toEqual({ changes: [], warnings: [] });
    } finally {
      await Promise.all([...caches.values()].map(cache => cache.stop()));
    }
  });
});

describe('with an autoscaler', () => {
  const withHpa = (ns: string) =>
    createCanary(ns, {
      autoscalerRef: {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        name: 'podinfo',
        primaryScalerReplicas: { minReplicas: 3 },
      },
    });
  const primaryHpa = (ns: string) =>
    read<HorizontalPodAutoscaler>(HORIZONTAL_POD_AUTOSCALERS, ns, 'podinfo-primary');

  it('creates <hpa>-primary scaling the primary; create mode never updates, sync mode does', async () => {
    const { ns } = await setup('hpa');
    await cluster.writer.create(HORIZONTAL_POD_AUTOSCALERS, hpa(ns));
    const c = await withHpa(ns);
    expect((await ensurePrimaryAutoscaler(ctx, c, 'create')).changes).toEqual([
      `created HorizontalPodAutoscaler ${ns}/podinfo-primary`,
    ]);
    expect((await primaryHpa(ns))?.spec).toMatchObject({
      scaleTargetRef: { kind: 'Deployment', name: 'podinfo-primary' },
      minReplicas: 3,
      maxReplicas: 4,
    });
    await cluster.writer.mergePatch(HORIZONTAL_POD_AUTOSCALERS, ns, 'podinfo', {
      spec: { maxReplicas: 8 },
    });
    expect((await ensurePrimaryAutoscaler(ctx, c, 'create')).changes).toEqual([]);
    expect((await primaryHpa(ns))?.spec?.maxReplicas).toBe(4);
    expect((await ensurePrimaryAutoscaler(ctx, c, 'sync')).changes).toEqual([
      `updated HorizontalPodAutoscaler ${ns}/podinfo-primary`,
    ]);
    expect((await primaryHpa(ns))?.spec?.maxReplicas).toBe(8);
    expect((await ensurePrimaryAutoscaler(ctx, c, 'sync')).changes).toEqual([]);
  });

  it('leaves the primary’s replicas to the HPA on promotion, and syncs the HPA', async () => {
    const { ns } = await setup('hpa-copy');
    await cluster.writer.create(HORIZONTAL_POD_AUTOSCALERS, hpa(ns));
    const c = await withHpa(ns);
    await ensurePrimary(ctx, c, 'rev-1');
    await ensurePrimaryAutoscaler(ctx, c, 'create');
    await cluster.writer.mergePatch(DEPLOYMENTS, ns, 'podinfo-primary', { spec: { replicas: 4 } });
    await cluster.writer.mergePatch(HORIZONTAL_POD_AUTOSCALERS, ns, 'podinfo', {
      spec: { maxReplicas: 6 },
    });
    await editTarget(ns, dep => {
      if (dep.spec) dep.spec.replicas = 1;
    });
    const result = await copyTargetToPrimary(ctx, c, 'rev-2');
    expect(result.changes).toEqual([
      `updated Deployment ${ns}/podinfo-primary`,
      `updated HorizontalPodAutoscaler ${ns}/podinfo-primary`,
    ]);
    expect((await primaryOf(ns))?.spec?.replicas).toBe(4);
  });

  it('creates a new primary with the autoscaler minimum when the target is parked at zero', async () => {
    const { ns } = await setup('hpa-parked', dep => {
      if (dep.spec) dep.spec.replicas = 0;
    });
    await cluster.writer.create(HORIZONTAL_POD_AUTOSCALERS, hpa(ns));
    await ensurePrimary(ctx, await withHpa(ns), 'rev-1');
    expect((await primaryOf(ns))?.spec?.replicas).toBe(3);
  });

  it('reports a missing HPA, and warns (without writing) for a KEDA ScaledObject', async () => {
    const { ns } = await setup('hpa-missing');
    await expect(ensurePrimaryAutoscaler(ctx, await withHpa(ns), 'create')).rejects.toThrow(
      `HorizontalPodAutoscaler podinfo.${ns} not found`,
    );
    const keda = withNamespace(
      canary({
        autoscalerRef: { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', name: 'podinfo' },
      }),
      ns,
    );
    expect(await ensurePrimaryAutoscaler(ctx, keda, 'sync')).toEqual({
      changes: [],
      warnings: ['autoscaler kind ScaledObject is not supported yet; nothing created'],
    });
    expect(await ensurePrimaryAutoscaler(ctx, withNamespace(canary(), ns), 'sync')).toEqual({
      changes: [],
      warnings: [],
    });
  });
});

describe('scaleTarget', () => {
  it('patches the replicas once; the rollout follows; a repeat writes nothing', async () => {
    const { ns, canary: c } = await setup('scale');
    expect((await scaleTarget(ctx, c, 0)).changes).toEqual([
      `scaled Deployment ${ns}/podinfo to 0`,
    ]);
    expect(await scaleTarget(ctx, c, 0)).toEqual({ changes: [], warnings: [] });
    await rolledOut(ns, 'podinfo', 0);
    await scaleTarget(ctx, c, 2);
    await rolledOut(ns, 'podinfo', 2);
  });

  it('refuses a missing target', async () => {
    const ns = await cluster.namespace('scale-missing');
    await expect(scaleTarget(ctx, withNamespace(canary(), ns), 1)).rejects.toBeInstanceOf(
      WorkloadError,
    );
  });
});
