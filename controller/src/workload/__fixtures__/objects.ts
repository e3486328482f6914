// Test objects: a podinfo-like target with every kind of config reference, and its Canary.
import type { Canary } from '../../api/types.js';
import type {
  ConfigLookup,
  ConfigMap,
  Deployment,
  HorizontalPodAutoscaler,
  Secret,
} from '../types.js';

export const NS = 'test';

export function canary(overrides: Partial<Canary['spec']> = {}, namespace = NS): Canary {
  return {
    apiVersion: 'aviary.dev/v1beta1',
    kind: 'Canary',
    metadata: { name: 'podinfo', namespace, uid: 'canary-uid-1' },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      service: { port: 9898 },
      analysis: { interval: '1m', threshold: 5, maxWeight: 50, stepWeight: 10 },
      ...overrides,
    },
  };
}

/** A target referencing configs in every supported way (container, initContainer, volumes). */
export function target(namespace = NS): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'podinfo',
      namespace,
      labels: { app: 'podinfo', 'app.kubernetes.io/part-of': 'shop', team: 'web' },
      annotations: {
        'example.com/owner': 'web-team',
        'kustomize.toolkit.fluxcd.io/checksum': 'abc',
        'kubectl.kubernetes.io/last-applied-configuration': '{"secret":"no"}',
        'deployment.kubernetes.io/revision': '3',
      },
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'podinfo' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } },
      minReadySeconds: 3,
      revisionHistoryLimit: 5,
      progressDeadlineSeconds: 60,
      template: {
        metadata: {
          labels: { app: 'podinfo', version: 'v1' },
          annotations: {
            'prometheus.io/scrape': 'true',
            'kustomize.toolkit.fluxcd.io/reconcile': 'disabled',
          },
        },
        spec: {
          initContainers: [
            {
              name: 'init',
              image: 'busybox',
              envFrom: [{ configMapRef: { name: 'init-env' } }],
            },
          ],
          containers: [
            {
              name: 'podinfo',
              image: 'ghcr.io/stefanprodan/podinfo:6.0.0',
              env: [
                { name: 'PLAIN', value: 'x' },
                {
                  name: 'COLOR',
                  valueFrom: { configMapKeyRef: { name: 'podinfo-env', key: 'color' } },
                },
                {
                  name: 'TOKEN',
                  valueFrom: { secretKeyRef: { name: 'podinfo-secret', key: 'token' } },
                },
              ],
              envFrom: [{ secretRef: { name: 'podinfo-secret-env' } }],
            },
          ],
          volumes: [
            { name: 'config', configMap: { name: 'podinfo-config' } },
            { name: 'tls', secret: { secretName: 'podinfo-tls' } },
            {
              name: 'bundle',
              projected: {
                sources: [
                  { configMap: { name: 'podinfo-projected' } },
                  { secret: { name: 'podinfo-projected-secret' } },
                  { serviceAccountToken: { path: 'token' } },
                ],
              },
            },
            { name: 'scratch', emptyDir: {} },
          ],
        },
      },
    },
  };
}

export function configMap(name: string, data: Record<string, string>, namespace = NS): ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data };
}

export function secret(
  name: string,
  data: Record<string, string>,
  type = 'Opaque',
  namespace = NS,
): Secret {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type, data };
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** Every config the target references, present. */
export function targetConfigs(namespace = NS): Array<ConfigMap | Secret> {
  return [
    configMap('init-env', { MODE: 'init' }, namespace),
    configMap('podinfo-env', { color: 'blue' }, namespace),
    configMap('podinfo-config', { 'app.yaml': 'level: info' }, namespace),
    configMap('podinfo-projected', { extra: '1' }, namespace),
    secret('podinfo-secret', { token: b64('t0k3n') }, 'Opaque', namespace),
    secret('podinfo-secret-env', { PASSWORD: b64('pw') }, 'Opaque', namespace),
    secret(
      'podinfo-tls',
      { 'tls.crt': b64('crt'), 'tls.key': b64('key') },
      'kubernetes.io/tls',
      namespace,
    ),
    secret('podinfo-projected-secret', { p: b64('p') }, 'Opaque', namespace),
  ];
}

/** A ConfigLookup over a list of objects. */
export function lookup(objects: ReadonlyArray<ConfigMap | Secret>): ConfigLookup {
  const find = (kind: string, name: string) =>
    objects.find(o => o.kind === kind && o.metadata?.name === name);
  return {
    configMap: name => find('ConfigMap', name) as ConfigMap | undefined,
    secret: name => find('Secret', name) as Secret | undefined,
  };
}

export function hpa(namespace = NS): HorizontalPodAutoscaler {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'podinfo', namespace, labels: { app: 'podinfo' } },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      minReplicas: 2,
      maxReplicas: 4,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 99 } },
        },
      ],
    },
  };
}
