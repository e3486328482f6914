import { canary, hpa, lookup, target, targetConfigs } from './__fixtures__/objects.js';
import { trackConfigs } from './configs.js';
import { buildPrimaryAutoscaler, buildPrimaryConfig, buildPrimaryDeployment } from './primary.js';
import type { ConfigMap, Secret, TrackedConfig } from './types.js';
import { forCreate, updatedAutoscaler, updatedConfig, updatedDeployment } from './update.js';

function configs(dep = target(), objects = targetConfigs()): TrackedConfig[] {
  const result = trackConfigs(dep, lookup(objects));
  if ('error' in result) throw new Error(result.error);
  return result.configs;
}

const desiredPrimary = (dep = target(), revision = 'rev-1', replicas = 2) =>
  buildPrimaryDeployment({
    canary: canary(),
    target: dep,
    revision,
    configs: configs(dep),
    replicas,
  });

/** What the API server would hand back after creating `desired`. */
const stored = <T extends { metadata?: object }>(desired: T): T => ({
  ...forCreate(desired),
  metadata: { ...forCreate(desired).metadata, resourceVersion: '7', uid: 'u' },
});

describe('forCreate', () => {
  it('records the labels and annotations it sets as Aviary-managed', () => {
    const created = forCreate(desiredPrimary());
    expect(
      JSON.parse(created.metadata?.annotations?.['aviary.dev/managed-metadata'] ?? ''),
    ).toEqual({
      labels: ['app'],
      annotations: ['aviary.dev/revision', 'example.com/owner'],
    });
  });
});

describe('updatedDeployment', () => {
  it('returns nothing when the live primary already matches', () => {
    expect(updatedDeployment(stored(desiredPrimary()), desiredPrimary())).toBeUndefined();
  });

  it('sets the new template, replicas and stamp, keeping resourceVersion and selector', () => {
    const live = stored(desiredPrimary());
    // Selectors are immutable: whatever the live one is, it stays.
    if (live.spec) live.spec.selector = { matchLabels: { app: 'podinfo-primary', legacy: 'x' } };
    const next = target();
    const container = next.spec?.template.spec?.containers[0];
    if (container) container.image = 'podinfo:6.1.0';
    const update = updatedDeployment(live, desiredPrimary(next, 'rev-2', 3));
    expect(update?.metadata?.resourceVersion).toBe('7');
    expect(update?.spec?.selector).toEqual({
      matchLabels: { app: 'podinfo-primary', legacy: 'x' },
    });
    expect(update?.spec?.replicas).toBe(3);
    expect(update?.spec?.template.spec?.containers[0]?.image).toBe('podinfo:6.1.0');
    expect(update?.metadata?.annotations?.['aviary.dev/revision']).toBe('rev-2');
  });

  it('keeps labels and annotations others added; removes ones the target dropped', () => {
    const live = stored(desiredPrimary());
    live.metadata = {
      ...live.metadata,
      labels: { ...live.metadata?.labels, 'someone/else': 'x' },
      annotations: { ...live.metadata?.annotations, 'someone/else': 'y' },
    };
    const next = target();
    delete next.metadata?.annotations?.['example.com/owner'];
    const update = updatedDeployment(live, desiredPrimary(next));
    expect(update?.metadata?.labels).toEqual({ app: 'podinfo-primary', 'someone/else': 'x' });
    expect(update?.metadata?.annotations?.['someone/else']).toBe('y');
    expect(update?.metadata?.annotations).not.toHaveProperty('example.com/owner');
  });

  it('takes control of a primary another owner controlled (a Canary re-created with a new uid)', () => {
    const live = stored(desiredPrimary());
    live.metadata = {
      ...live.metadata,
      ownerReferences: [
        {
          apiVersion: 'aviary.dev/v1beta1',
          kind: 'Canary',
          name: 'podinfo',
          uid: 'old',
          controller: true,
        },
        { apiVersion: 'v1', kind: 'ConfigMap', name: 'keep-me', uid: 'cm' },
      ],
    };
    const update = updatedDeployment(live, desiredPrimary());
    expect(update?.metadata?.ownerReferences?.map(r => r.uid)).toEqual(['cm', 'canary-uid-1']);
  });

  it('removes a copied field the target no longer sets', () => {
    const live = stored(desiredPrimary());
    const next = target();
    delete next.spec?.minReadySeconds;
    const update = updatedDeployment(live, desiredPrimary(next));
    expect(update?.spec).not.toHaveProperty('minReadySeconds');
  });
});

describe('updatedConfig', () => {
  const primaryOf = (name: string, objects = targetConfigs()) => {
    const config = configs(target(), objects).find(c => c.name === name);
    if (!config) throw new Error(name);
    return buildPrimaryConfig(canary(), config);
  };

  it('returns nothing when data and metadata match', () => {
    const desired = primaryOf('podinfo-env');
    expect(updatedConfig(stored(desired), desired)).toBeUndefined();
  });

  it('replaces the data in place when it changed', () => {
    const live = stored(primaryOf('podinfo-env')) as ConfigMap;
    const objects = targetConfigs().map(o =>
      o.metadata?.name === 'podinfo-env' ? { ...o, data: { color: 'green' } } : o,
    );
    const update = updatedConfig(live, primaryOf('podinfo-env', objects) as ConfigMap);
    expect(update).toEqual({
      object: expect.objectContaining({ data: { color: 'green' } }),
      recreate: false,
    });
    expect(update?.object.metadata?.resourceVersion).toBe('7');
  });

  it('recreates an immutable copy, or a Secret whose type changed', () => {
    const live = { ...stored(primaryOf('podinfo-env')), immutable: true } as ConfigMap;
    const objects = targetConfigs().map(o =>
      o.metadata?.name === 'podinfo-env' ? { ...o, data: { color: 'green' } } : o,
    );
    expect(updatedConfig(live, primaryOf('podinfo-env', objects) as ConfigMap)?.recreate).toBe(
      true,
    );
    const secretLive = stored(primaryOf('podinfo-secret')) as Secret;
    const retyped = targetConfigs().map(o =>
      o.metadata?.name === 'podinfo-secret' ? { ...o, type: 'kubernetes.io/basic-auth' } : o,
    );
    expect(
      updatedConfig(secretLive, primaryOf('podinfo-secret', retyped) as Secret)?.recreate,
    ).toBe(true);
  });
});

describe('updatedAutoscaler', () => {
  it('returns nothing when it matches; the target’s spec when it changed', () => {
    const desired = buildPrimaryAutoscaler(canary(), hpa());
    expect(updatedAutoscaler(stored(desired), desired)).toBeUndefined();
    const changed = hpa();
    if (changed.spec) changed.spec.maxReplicas = 10;
    const update = updatedAutoscaler(stored(desired), buildPrimaryAutoscaler(canary(), changed));
    expect(update?.spec?.maxReplicas).toBe(10);
    expect(update?.spec?.scaleTargetRef.name).toBe('podinfo-primary');
    expect(update?.metadata?.resourceVersion).toBe('7');
  });
});
