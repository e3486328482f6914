// The validator the chart and template tests rely on must actually reject bad objects: a
// validator that accepts everything would make every "validates against its schema" test vacuous.
import { validateManifests, type Manifest } from './support/validate';

const deployment = (spec: unknown): Manifest => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'apps' },
  spec,
});

const goodDeploymentSpec = {
  selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
  template: {
    metadata: { labels: { 'app.kubernetes.io/name': 'web' } },
    spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
  },
};

describe('validateManifests', () => {
  it('accepts valid built-in, Istio, Flux, prometheus-operator and Aviary objects', () => {
    const objects: Manifest[] = [
      deployment(goodDeploymentSpec),
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'Gateway',
        metadata: { name: 'public', namespace: 'istio-system' },
        spec: {
          selector: { istio: 'gateway' },
          servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }],
        },
      },
      {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: { name: 'apps', namespace: 'flux-system' },
        spec: {
          interval: '1h',
          prune: true,
          path: './apps',
          sourceRef: { kind: 'GitRepository', name: 'flux-system' },
        },
      },
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: { name: 'aviary', namespace: 'aviary-system' },
        spec: { selector: { matchLabels: { app: 'aviary' } }, endpoints: [{ port: 'http' }] },
      },
      {
        apiVersion: 'aviary.dev/v1beta1',
        kind: 'Canary',
        metadata: { name: 'web', namespace: 'apps' },
        spec: {
          targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
          service: { port: 80 },
          analysis: {
            interval: '1m',
            threshold: 5,
            maxWeight: 50,
            stepWeight: 10,
            metrics: [
              { name: 'request-success-rate', interval: '1m', thresholdRange: { min: 99 } },
            ],
          },
        },
      },
    ];
    expect(validateManifests(objects)).toEqual([]);
  });

  it('reports a wrong type in a built-in kind with the field path', () => {
    const bad = deployment({
      ...goodDeploymentSpec,
      template: {
        ...goodDeploymentSpec.template,
        spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 'http' }] }] },
      },
    });
    expect(validateManifests([bad])).toEqual([
      'Deployment apps/web: /spec/template/spec/containers/0/ports/0/containerPort must be integer',
    ]);
  });

  it('reports a missing required Flux field and an Istio type error', () => {
    const problems = validateManifests([
      {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: { name: 'apps', namespace: 'flux-system' },
        spec: { interval: '1h', sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
      },
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'Gateway',
        metadata: { name: 'public', namespace: 'istio-system' },
        spec: { servers: [{ port: { number: '80' }, hosts: ['*'] }] },
      },
    ]);
    expect(problems).toEqual([
      'Kustomization flux-system/apps: /spec must have required property prune',
      'Gateway istio-system/public: /spec/servers/0/port must have required property protocol',
      'Gateway istio-system/public: /spec/servers/0/port must have required property name',
      'Gateway istio-system/public: /spec/servers/0/port/number must be integer',
    ]);
  });

  it('reports unknown fields and controller rules on Aviary kinds', () => {
    const problems = validateManifests([
      {
        apiVersion: 'aviary.dev/v1beta1',
        kind: 'Canary',
        metadata: { name: 'web', namespace: 'apps' },
        spec: {
          targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
          service: { port: 80 },
          analysis: { interval: '1m', stepWeigth: 10, maxWeight: 150 },
        },
      },
    ]);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Canary apps\/web: spec\.analysis\.stepWeigth is not a known field/),
        expect.stringMatching(/^Canary apps\/web: spec\.analysis\.maxWeight must be at most 100/),
      ]),
    );
  });

  it('reports kinds no schema package knows, so nothing passes unchecked', () => {
    expect(
      validateManifests([
        { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } },
      ]),
    ).toEqual([expect.stringMatching(/^Widget w: no schema for example\.com\/v1 Widget/)]);
  });

  it('reports invalid names and label values', () => {
    const problems = validateManifests([
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'Web_App', namespace: 'apps', labels: { tier: 'front end' } },
        spec: { ports: [{ port: 80 }] },
      },
    ]);
    expect(problems).toEqual([
      'Service apps/Web_App: metadata.name "Web_App" is not a valid DNS label',
      'Service apps/Web_App: label tier="front end" has an invalid value',
    ]);
  });
});
