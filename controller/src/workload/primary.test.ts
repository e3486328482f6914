import { canary, hpa, lookup, NS, target, targetConfigs } from './__fixtures__/objects.js';
import { trackConfigs } from './configs.js';
import { workloadOptions } from './options.js';
import {
  buildPrimaryAutoscaler,
  buildPrimaryConfig,
  buildPrimaryDeployment,
  primaryName,
  primaryReplicas,
  scaleTargetPatch,
} from './primary.js';
import type { ConfigMap, Deployment, Secret, TrackedConfig } from './types.js';

const OWNER = {
  apiVersion: 'aviary.dev/v1beta1',
  kind: 'Canary',
  name: 'podinfo',
  uid: 'canary-uid-1',
  controller: true,
  blockOwnerDeletion: true,
};

function configsOf(dep: Deployment, objects = targetConfigs()): TrackedConfig[] {
  const result = trackConfigs(dep, lookup(objects));
  if ('error' in result) throw new Error(result.error);
  return result.configs;
}

function build(
  overrides: { dep?: Deployment; includeLabelPrefix?: string; configs?: TrackedConfig[] } = {},
) {
  const dep = overrides.dep ?? target();
  return buildPrimaryDeployment({
    canary: canary(),
    target: dep,
    revision: 'rev-1',
    configs: overrides.configs ?? configsOf(dep),
    replicas: 2,
    options: workloadOptions({ includeLabelPrefix: overrides.includeLabelPrefix }),
  });
}

describe('buildPrimaryDeployment', () => {
  it('names it <target>-primary, owned by the Canary and stamped with the revision', () => {
    const primary = build();
    expect(primary.metadata).toMatchObject({
      name: 'podinfo-primary',
      namespace: NS,
      ownerReferences: [OWNER],
    });
    expect(primary.metadata?.annotations?.['aviary.dev/revision']).toBe('rev-1');
    expect(primary.spec?.template.metadata?.annotations?.['aviary.dev/revision']).toBe('rev-1');
  });

  it('selects and labels its pods with the selector label value suffixed -primary', () => {
    const primary = build();
    expect(primary.spec?.selector).toEqual({ matchLabels: { app: 'podinfo-primary' } });
    expect(primary.spec?.template.metadata?.labels).toEqual({
      app: 'podinfo-primary',
      version: 'v1',
    });
  });

  it('uses whichever selector label the target has (app.kubernetes.io/name here)', () => {
    const dep = target();
    if (dep.spec) {
      dep.spec.selector = { matchLabels: { 'app.kubernetes.io/name': 'shop' } };
      dep.spec.template.metadata = { labels: { 'app.kubernetes.io/name': 'shop' } };
    }
    const primary = build({ dep });
    expect(primary.spec?.selector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'shop-primary',
    });
    expect(primary.metadata?.labels?.['app.kubernetes.io/name']).toBe('shop-primary');
  });

  it('throws when the target has no selector label', () => {
    const dep = target();
    if (dep.spec) dep.spec.selector = { matchLabels: { tier: 'web' } };
    expect(() => build({ dep, configs: [] })).toThrow(/must contain one of/);
  });

  it('copies replicas as given, and strategy, minReadySeconds, revisionHistoryLimit, progressDeadlineSeconds', () => {
    expect(build().spec).toMatchObject({
      replicas: 2,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } },
      minReadySeconds: 3,
      revisionHistoryLimit: 5,
      progressDeadlineSeconds: 60,
    });
  });

  it.each([
    ['nothing by default: only the selector label', undefined, { app: 'podinfo-primary' }],
    [
      'labels with a listed prefix',
      'app.kubernetes.io,team',
      { app: 'podinfo-primary', 'app.kubernetes.io/part-of': 'shop', team: 'web' },
    ],
    [
      'every label with *',
      '*',
      { app: 'podinfo-primary', 'app.kubernetes.io/part-of': 'shop', team: 'web' },
    ],
  ])('copies Deployment labels per -include-label-prefix: %s', (_name, prefix, expected) => {
    expect(build({ includeLabelPrefix: prefix }).metadata?.labels).toEqual(expected);
  });

  it('copies Deployment annotations except Flux, kubectl and rollout bookkeeping', () => {
    expect(build().metadata?.annotations).toEqual({
      'example.com/owner': 'web-team',
      'aviary.dev/revision': 'rev-1',
    });
  });

  it('copies pod annotations except Flux ones', () => {
    expect(build().spec?.template.metadata?.annotations).toEqual({
      'prometheus.io/scrape': 'true',
      'aviary.dev/revision': 'rev-1',
    });
  });

  it('renames every tracked config reference to <name>-primary', () => {
    const spec = build().spec?.template.spec;
    expect(spec?.initContainers?.[0]?.envFrom).toEqual([
      { configMapRef: { name: 'init-env-primary' } },
    ]);
    const container = spec?.containers[0];
    expect(container?.env).toEqual([
      { name: 'PLAIN', value: 'x' },
      {
        name: 'COLOR',
        valueFrom: { configMapKeyRef: { name: 'podinfo-env-primary', key: 'color' } },
      },
      {
        name: 'TOKEN',
        valueFrom: { secretKeyRef: { name: 'podinfo-secret-primary', key: 'token' } },
      },
    ]);
    expect(container?.envFrom).toEqual([{ secretRef: { name: 'podinfo-secret-env-primary' } }]);
    expect(spec?.volumes).toEqual([
      { name: 'config', configMap: { name: 'podinfo-config-primary' } },
      { name: 'tls', secret: { secretName: 'podinfo-tls-primary' } },
      {
        name: 'bundle',
        projected: {
          sources: [
            { configMap: { name: 'podinfo-projected-primary' } },
            { secret: { name: 'podinfo-projected-secret-primary' } },
            { serviceAccountToken: { path: 'token' } },
          ],
        },
      },
      { name: 'scratch', emptyDir: {} },
    ]);
  });

  it('leaves references to untracked configs (disabled, other Secret types) as they are', () => {
    const objects = targetConfigs().map(o =>
      o.metadata?.name === 'podinfo-config'
        ? {
            ...o,
            metadata: { ...o.metadata, annotations: { 'aviary.dev/config-tracking': 'disabled' } },
          }
        : o.metadata?.name === 'podinfo-tls'
          ? { ...o, type: 'kubernetes.io/dockerconfigjson' }
          : o,
    );
    const spec = build({ configs: configsOf(target(), objects) }).spec?.template.spec;
    expect(spec?.volumes?.[0]).toEqual({ name: 'config', configMap: { name: 'podinfo-config' } });
    expect(spec?.volumes?.[1]).toEqual({ name: 'tls', secret: { secretName: 'podinfo-tls' } });
    expect(spec?.containers[0]?.envFrom).toEqual([
      { secretRef: { name: 'podinfo-secret-env-primary' } },
    ]);
  });

  it('points topology spread and pod anti-affinity selectors of the target pods at the primary pods', () => {
    const dep = target();
    const podSpec = dep.spec?.template.spec;
    if (podSpec) {
      podSpec.topologySpreadConstraints = [
        { maxSkew: 1, topologyKey: 'zone', labelSelector: { matchLabels: { app: 'podinfo' } } },
        { maxSkew: 1, topologyKey: 'host', labelSelector: { matchLabels: { app: 'other' } } },
      ];
      podSpec.affinity = {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            {
              topologyKey: 'host',
              labelSelector: {
                matchExpressions: [{ key: 'app', operator: 'In', values: ['podinfo', 'x'] }],
              },
            },
          ],
          preferredDuringSchedulingIgnoredDuringExecution: [
            {
              weight: 1,
              podAffinityTerm: {
                topologyKey: 'zone',
                labelSelector: { matchLabels: { app: 'podinfo' } },
              },
            },
          ],
        },
      };
    }
    const spec = build({ dep }).spec?.template.spec;
    expect(spec?.topologySpreadConstraints).toEqual([
      {
        maxSkew: 1,
        topologyKey: 'zone',
        labelSelector: { matchLabels: { app: 'podinfo-primary' } },
      },
      { maxSkew: 1, topologyKey: 'host', labelSelector: { matchLabels: { app: 'other' } } },
    ]);
    expect(spec?.affinity).toEqual({
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          {
            topologyKey: 'host',
            labelSelector: {
              matchExpressions: [{ key: 'app', operator: 'In', values: ['podinfo-primary', 'x'] }],
            },
          },
        ],
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 1,
            podAffinityTerm: {
              topologyKey: 'zone',
              labelSelector: { matchLabels: { app: 'podinfo-primary' } },
            },
          },
        ],
      },
    });
  });

  it('does not modify the target it copies from', () => {
    const dep = target();
    const before = JSON.stringify(dep);
    build({ dep });
    expect(JSON.stringify(dep)).toBe(before);
  });
});

describe('primaryReplicas', () => {
  const withReplicas = (replicas: number | undefined): Deployment => {
    const dep = target();
    if (dep.spec) dep.spec.replicas = replicas;
    return dep;
  };
  it.each([
    ['the target’s count', { target: 3 }, 3],
    ['1 when the target leaves it unset', { target: undefined }, 1],
    ['the live primary’s when the target is parked at 0', { target: 0, primary: 4 }, 4],
    ['1 for a new primary when the target is at 0', { target: 0 }, 1],
    [
      'the autoscaler minimum for a new primary when the target is at 0',
      { target: 0, hpa: true, min: 3 },
      3,
    ],
    ['at least 1 even with a 0 autoscaler minimum', { target: 0, hpa: true, min: 0 }, 1],
    [
      'the target’s count for a new primary with an autoscaler',
      { target: 5, hpa: true, min: 2 },
      5,
    ],
    [
      'the live primary’s with an autoscaler (it owns the count)',
      { target: 5, primary: 7, hpa: true },
      7,
    ],
  ])(
    '%s',
    (_name, c: { target?: number; primary?: number; hpa?: boolean; min?: number }, expected) => {
      expect(
        primaryReplicas({
          target: withReplicas(c.target),
          ...(c.primary !== undefined ? { primary: withReplicas(c.primary) } : {}),
          hasAutoscaler: c.hpa === true,
          ...(c.min !== undefined ? { autoscalerMinReplicas: c.min } : {}),
        }),
      ).toBe(expected);
    },
  );
});

describe('buildPrimaryConfig', () => {
  const find = (name: string) => {
    const found = configsOf(target()).find(c => c.name === name);
    if (!found) throw new Error(name);
    return found;
  };

  it('copies a ConfigMap’s data to <name>-primary, owned by the Canary, not immutable', () => {
    const config = find('podinfo-env');
    const source = config.object as ConfigMap;
    source.immutable = true;
    source.binaryData = { blob: 'AAE=' };
    source.metadata = { ...source.metadata, labels: { app: 'podinfo', 'x.io/y': 'z' } };
    expect(
      buildPrimaryConfig(canary(), config, workloadOptions({ includeLabelPrefix: 'app' })),
    ).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'podinfo-env-primary',
        namespace: NS,
        labels: { app: 'podinfo' },
        ownerReferences: [OWNER],
      },
      data: { color: 'blue' },
      binaryData: { blob: 'AAE=' },
    });
  });

  it('copies a Secret’s type and data', () => {
    const built = buildPrimaryConfig(canary(), find('podinfo-tls')) as Secret;
    expect(built).toMatchObject({
      kind: 'Secret',
      type: 'kubernetes.io/tls',
      metadata: { name: 'podinfo-tls-primary', labels: {}, ownerReferences: [OWNER] },
    });
    expect(Object.keys(built.data ?? {}).sort()).toEqual(['tls.crt', 'tls.key']);
  });
});

describe('buildPrimaryAutoscaler', () => {
  it('scales the primary with the target HPA’s spec', () => {
    expect(buildPrimaryAutoscaler(canary(), hpa())).toEqual({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'podinfo-primary', namespace: NS, labels: {}, ownerReferences: [OWNER] },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo-primary' },
        minReplicas: 2,
        maxReplicas: 4,
        metrics: hpa().spec?.metrics,
      },
    });
  });

  it('applies primaryScalerReplicas overrides', () => {
    const c = canary({
      autoscalerRef: {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        name: 'podinfo',
        primaryScalerReplicas: { minReplicas: 3, maxReplicas: 9 },
      },
    });
    expect(buildPrimaryAutoscaler(c, hpa()).spec).toMatchObject({ minReplicas: 3, maxReplicas: 9 });
  });
});

describe('primaryName and scaleTargetPatch', () => {
  it('suffix -primary; set spec.replicas', () => {
    expect(primaryName('podinfo')).toBe('podinfo-primary');
    expect(scaleTargetPatch(0)).toEqual({ spec: { replicas: 0 } });
  });
});
