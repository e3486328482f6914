// The demo's workloads and sample Canaries: `podinfo` (a progressive canary: 25 % → 50 %, then
// promotion) and `abtest` (A/B testing: users with `x-canary: insider` or the `canary=always`
// cookie go to the canary for 3 iterations).
import type { LoadTarget } from '../load/load.js';

export const DEMO_NAMESPACE = 'demo';
export const DEMO_IMAGE = 'ghcr.io/stefanprodan/podinfo';
export const INITIAL_VERSION = '6.0.0';

export const image = (version: string) => `${DEMO_IMAGE}:${version}`;

export function demoDeployment(name: string, version = INITIAL_VERSION) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: DEMO_NAMESPACE, labels: { app: name } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            {
              name: 'podinfo',
              image: image(version),
              ports: [{ name: 'http', containerPort: 9898, protocol: 'TCP' }],
            },
          ],
        },
      },
    },
  };
}

const metrics = [
  { name: 'request-success-rate', interval: '30s', thresholdRange: { min: 99 } },
  { name: 'request-duration', interval: '30s', thresholdRange: { max: 500 } },
];

export function progressiveCanary(name = 'podinfo') {
  return {
    apiVersion: 'aviary.dev/v1beta1',
    kind: 'Canary',
    metadata: { name, namespace: DEMO_NAMESPACE },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      service: { port: 9898 },
      analysis: { interval: '10s', threshold: 2, maxWeight: 50, stepWeight: 25, metrics },
    },
  };
}

export function abCanary(name = 'abtest') {
  return {
    apiVersion: 'aviary.dev/v1beta1',
    kind: 'Canary',
    metadata: { name, namespace: DEMO_NAMESPACE },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      service: { port: 9898 },
      analysis: {
        interval: '10s',
        threshold: 2,
        iterations: 3,
        match: [
          { headers: { 'x-canary': { exact: 'insider' } } },
          { headers: { cookie: { regex: '^(.*?;\\s*)?(canary=always)(;.*)?$' } } },
        ],
        metrics,
      },
    },
  };
}

export const SAMPLE_NAMES = ['podinfo', 'abtest'];

export function loadTargets(): LoadTarget[] {
  return [
    { host: `podinfo.${DEMO_NAMESPACE}`, rps: 20, paths: ['/', '/version', '/healthz'] },
    {
      host: `abtest.${DEMO_NAMESPACE}`,
      rps: 20,
      paths: ['/', '/version'],
      segment: { share: 0.3, headers: { 'x-canary': 'insider' } },
    },
  ];
}
