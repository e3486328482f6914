// Manifests of the e2e tests, shaped like Flagger's test/istio ones (podinfo + a load tester),
// and small readers over what the emulator stores.
import type {
  AlertProvider,
  Canary,
  CanaryAnalysis,
  CanarySpec,
  MetricTemplate,
} from '../../src/api/types.js';
import type { Deployment } from '../../src/workload/types.js';
import type { Environment } from './harness.js';

export const image = (version: string) => `ghcr.io/stefanprodan/podinfo:${version}`;

export interface DeploymentOptions {
  version?: string;
  /** Pods that never become ready (the emulator's fault injection). */
  neverReady?: boolean;
  progressDeadlineSeconds?: number;
  replicas?: number;
}

export function deployment(namespace: string, name: string, options: DeploymentOptions = {}) {
  const annotations: Record<string, string> = options.neverReady
    ? { 'playground.aviary.dev/never-ready': 'true' }
    : {};
  const dep: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { app: name } },
    spec: {
      replicas: options.replicas ?? 1,
      ...(options.progressDeadlineSeconds
        ? { progressDeadlineSeconds: options.progressDeadlineSeconds }
        : {}),
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name }, annotations },
        spec: {
          containers: [
            {
              name: 'podinfo',
              image: image(options.version ?? '6.0.0'),
              ports: [
                { name: 'http', containerPort: 9898, protocol: 'TCP' },
                { name: 'http-metrics', containerPort: 8080, protocol: 'TCP' },
              ],
            },
          ],
        },
      },
    },
  };
  return dep;
}

/** Built-in success rate ≥ 99 % and the `latency` template ≤ 500 ms, as in Flagger's E1. */
export function standardMetrics(namespace: string): NonNullable<CanaryAnalysis['metrics']> {
  return [
    { name: 'request-success-rate', interval: '30s', thresholdRange: { min: 99 } },
    {
      name: 'latency',
      interval: '30s',
      templateRef: { name: 'latency', namespace },
      templateVariables: { reporter: 'destination' },
      thresholdRange: { max: 500 },
    },
  ];
}

export function canary(
  namespace: string,
  name: string,
  analysis: CanaryAnalysis | undefined,
  spec: Partial<CanarySpec> = {},
): Canary {
  return {
    apiVersion: 'aviary.dev/v1beta1',
    kind: 'Canary',
    metadata: { name, namespace },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      service: { port: 9898 },
      ...(analysis ? { analysis } : {}),
      ...spec,
    },
  };
}

export function latencyTemplate(namespace: string, prometheusUrl: string): MetricTemplate {
  return {
    apiVersion: 'aviary.dev/v1beta1',
    kind: 'MetricTemplate',
    metadata: { name: 'latency', namespace },
    spec: {
      provider: { type: 'prometheus', address: prometheusUrl },
      query: `histogram_quantile(0.99, sum(rate(istio_request_duration_milliseconds_bucket{reporter="{{ variables.reporter }}", destination_workload_namespace="{{ namespace }}", destination_workload=~"{{ target }}"}[{{ interval }}])) by (le))`,
    },
  };
}

export function slackProvider(namespace: string, name: string): AlertProvider {
  return {
    apiVersion: 'aviary.dev/v1beta1',
    kind: 'AlertProvider',
    metadata: { name, namespace },
    spec: { type: 'slack', channel: 'canaries', secretRef: { name: `${name}-url` } },
  };
}

export function secret(namespace: string, name: string, data: Record<string, string>) {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace },
    type: 'Opaque',
    data: Object.fromEntries(
      Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
    ),
  };
}

export interface CoreEvent {
  metadata: { name: string; resourceVersion?: string };
  involvedObject: { kind?: string; name?: string; namespace?: string };
  reason: string;
  message: string;
  type: string;
  count?: number;
  firstTimestamp?: string;
  source?: { component?: string; host?: string };
  reportingInstance?: string;
}

/** The Events recorded on one Canary, oldest first. */
export async function canaryEvents(
  env: Environment,
  namespace: string,
  name: string,
): Promise<CoreEvent[]> {
  const events = await env.kube.list<CoreEvent & { apiVersion?: string }>(
    { group: '', version: 'v1', plural: 'events', kind: 'Event', namespaced: true },
    namespace,
  );
  return events
    .filter(e => e.involvedObject.kind === 'Canary' && e.involvedObject.name === name)
    .sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
}
