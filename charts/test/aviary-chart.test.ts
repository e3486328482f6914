// charts/aviary through the real helm binary: lint and render over a matrix of values, every
// rendered object validated against its schema, and the contract the controller relies on.
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { find, helmLint, helmTemplate, HelmError, kinds, type Values } from './support/helm';
import { AVIARY_CRDS_DIR, validateManifests, type Manifest } from './support/validate';

const RELEASE = { release: 'aviary', namespace: 'aviary-system' };

/** The values matrix: each entry is linted, rendered and validated. */
const MATRIX: Array<[string, Values]> = [
  ['defaults', {}],
  [
    'ServiceMonitor, PodDisruptionBudget and two replicas',
    {
      replicaCount: 2,
      serviceMonitor: { enabled: true, labels: { release: 'kube-prometheus-stack' } },
      podDisruptionBudget: { enabled: true },
    },
  ],
  ['load tester', { loadtester: { enabled: true, namespaceRegexp: '^(apps|team-.*)$' } }],
  [
    'single namespace, existing token Secret, no leader election',
    {
      watchNamespace: 'apps',
      clusterName: 'prod-eu',
      leaderElection: { enabled: false },
      apiToken: { existingSecret: 'aviary-token', secretKey: 'api' },
      image: { digest: `sha256:${'a'.repeat(64)}` },
      extraArgs: ['--verbose'],
    },
  ],
  [
    'everything on',
    {
      replicaCount: 3,
      serviceMonitor: { enabled: true },
      podDisruptionBudget: { enabled: true, minAvailable: 2 },
      loadtester: { enabled: true },
      clusterName: 'staging',
      apiToken: { value: 'not-a-real-token' },
      service: { type: 'ClusterIP', port: 9090 },
    },
  ],
];

describe.each(MATRIX)('charts/aviary with %s', (_name, values) => {
  it('passes helm lint --strict', async () => {
    await expect(helmLint('aviary', values)).resolves.toBeDefined();
  });

  it('renders objects (CRDs included) that all validate against their schemas', async () => {
    const objects = await helmTemplate('aviary', { ...RELEASE, values, includeCrds: true });
    expect(objects.length).toBeGreaterThan(8);
    expect(validateManifests(objects)).toEqual([]);
  });
});

const rulesOf = (role: Manifest) => role.rules as Array<Record<string, string[]>>;

describe('charts/aviary contract', () => {
  it('renders the controller, its Service, token Secret and least-privilege RBAC by default', async () => {
    const objects = await helmTemplate('aviary', RELEASE);
    expect(kinds(objects)).toEqual([
      'ClusterRole',
      'ClusterRoleBinding',
      'Deployment',
      'Pod', // helm test
      'Role',
      'RoleBinding',
      'Secret',
      'Service',
      'ServiceAccount',
    ]);

    const role = find(objects, 'ClusterRole');
    const all = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
    expect(rulesOf(role)).toEqual([
      {
        apiGroups: ['aviary.dev'],
        resources: ['canaries'],
        verbs: ['get', 'list', 'watch', 'update', 'patch'],
      },
      {
        apiGroups: ['aviary.dev'],
        resources: ['canaries/status'],
        verbs: ['get', 'update', 'patch'],
      },
      { apiGroups: ['aviary.dev'], resources: ['canaries/finalizers'], verbs: ['update'] },
      {
        apiGroups: ['aviary.dev'],
        resources: ['metrictemplates', 'alertproviders'],
        verbs: ['get', 'list', 'watch'],
      },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: all },
      { apiGroups: [''], resources: ['services', 'configmaps', 'secrets'], verbs: all },
      { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: all },
      {
        apiGroups: ['networking.istio.io'],
        resources: ['virtualservices', 'destinationrules'],
        verbs: all,
      },
      {
        apiGroups: [''],
        resources: ['events'],
        verbs: ['create', 'patch', 'get', 'list', 'watch'],
      },
    ]);
    // No wildcards anywhere.
    expect(JSON.stringify(rulesOf(role))).not.toContain('*');

    const binding = find(objects, 'ClusterRoleBinding');
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'aviary', namespace: 'aviary-system' },
    ]);
    // Leases only in the release namespace.
    const leases = find(objects, 'Role');
    expect(leases.metadata.namespace).toBe('aviary-system');
    expect(rulesOf(leases)).toEqual([
      {
        apiGroups: ['coordination.k8s.io'],
        resources: ['leases'],
        verbs: ['get', 'create', 'update'],
      },
    ]);
  });

  it('runs aviary-controller with the documented flags, probes, token and a hardened pod', async () => {
    const objects = await helmTemplate('aviary', {
      ...RELEASE,
      values: { clusterName: 'prod-eu', watchNamespace: 'apps' },
    });
    const deployment = find(objects, 'Deployment', 'aviary') as any;
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    expect(container.image).toBe('ghcr.io/aviary-dev/aviary-controller:0.1.0');
    expect(container.args).toEqual([
      '--port=8080',
      '--metrics-server=http://prometheus.istio-system:9090',
      '--namespace=apps',
      '--leader-elect',
      '--cluster-name=prod-eu',
      '--log-level=info',
    ]);
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(container.env).toContainEqual({
      name: 'AVIARY_API_TOKEN',
      valueFrom: { secretKeyRef: { name: 'aviary-api-token', key: 'token' } },
    });
    expect(container.resources.requests).toEqual({ cpu: '50m', memory: '64Mi' });
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(pod.serviceAccountName).toBe('aviary');

    const service = find(objects, 'Service', 'aviary') as any;
    expect(service.spec.ports).toEqual([
      { name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' },
    ]);
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
  });

  it('scopes RBAC to watchNamespace with a Role instead of a ClusterRole', async () => {
    const objects = await helmTemplate('aviary', {
      ...RELEASE,
      values: { watchNamespace: 'apps' },
    });
    expect(objects.filter(o => o.kind.startsWith('Cluster'))).toEqual([]);
    const role = find(objects, 'Role', 'aviary');
    expect(role.metadata.namespace).toBe('apps');
    const binding = find(objects, 'RoleBinding', 'aviary') as any;
    expect(binding.metadata.namespace).toBe('apps');
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: 'aviary',
    });
    expect(binding.subjects[0].namespace).toBe('aviary-system');
  });

  it('stores the API token in a Secret, or uses an existing one', async () => {
    const given = await helmTemplate('aviary', {
      ...RELEASE,
      values: { apiToken: { value: 's3cret' } },
    });
    const secret = find(given, 'Secret', 'aviary-api-token') as any;
    expect(Buffer.from(secret.data.token, 'base64').toString()).toBe('s3cret');

    const generated = find(await helmTemplate('aviary', RELEASE), 'Secret') as any;
    expect(Buffer.from(generated.data.token, 'base64').toString()).toMatch(/^[A-Za-z0-9]{48}$/);

    const existing = await helmTemplate('aviary', {
      ...RELEASE,
      values: { apiToken: { existingSecret: 'mine', secretKey: 'api' } },
    });
    expect(existing.filter(o => o.kind === 'Secret')).toEqual([]);
    const env = (find(existing, 'Deployment') as any).spec.template.spec.containers[0].env;
    expect(env).toContainEqual({
      name: 'AVIARY_API_TOKEN',
      valueFrom: { secretKeyRef: { name: 'mine', key: 'api' } },
    });
  });

  it('adds the ServiceMonitor and PodDisruptionBudget only when enabled', async () => {
    const objects = await helmTemplate('aviary', {
      ...RELEASE,
      values: { serviceMonitor: { enabled: true }, podDisruptionBudget: { enabled: true } },
    });
    const monitor = find(objects, 'ServiceMonitor') as any;
    expect(monitor.spec.endpoints).toEqual([
      { port: 'http', path: '/metrics', interval: '30s', scrapeTimeout: '10s' },
    ]);
    expect(monitor.spec.selector.matchLabels).toEqual(
      (find(objects, 'Service') as any).spec.selector,
    );
    expect((find(objects, 'PodDisruptionBudget') as any).spec.minAvailable).toBe(1);
  });

  it('adds the load tester (Deployment, Service, helm test) only when enabled', async () => {
    const off = await helmTemplate('aviary', RELEASE);
    expect(off.filter(o => o.metadata.name.includes('loadtester'))).toEqual([]);

    const on = await helmTemplate('aviary', {
      ...RELEASE,
      values: { loadtester: { enabled: true } },
    });
    const deployment = find(on, 'Deployment', 'aviary-loadtester') as any;
    expect(deployment.spec.template.spec.containers[0].image).toBe(
      'ghcr.io/fluxcd/flagger-loadtester:0.38.0',
    );
    expect(deployment.spec.template.metadata.labels['sidecar.istio.io/inject']).toBe('true');
    expect(deployment.spec.template.spec.automountServiceAccountToken).toBe(false);
    const service = find(on, 'Service', 'aviary-loadtester') as any;
    expect(service.spec.ports[0].port).toBe(80);
    expect(on.filter(o => o.kind === 'Pod').map(o => o.metadata.name)).toEqual([
      'aviary-test-readyz',
      'aviary-loadtester-test',
    ]);
  });

  it('ships exactly the generated CRDs in crds/', async () => {
    const objects = await helmTemplate('aviary', { ...RELEASE, includeCrds: true });
    const crds = objects.filter(o => o.kind === 'CustomResourceDefinition');
    const generated = fs
      .readdirSync(AVIARY_CRDS_DIR)
      .map(f => yaml.load(fs.readFileSync(path.join(AVIARY_CRDS_DIR, f), 'utf8')));
    expect(crds).toEqual(expect.arrayContaining(generated as Manifest[]));
    expect(crds.map(c => c.metadata.name).sort()).toEqual([
      'alertproviders.aviary.dev',
      'canaries.aviary.dev',
      'metrictemplates.aviary.dev',
    ]);
  });

  it('refuses misspelt values and unsafe combinations', async () => {
    await expect(helmLint('aviary', { replicaCont: 2 })).rejects.toThrow(
      /Additional property replicaCont is not allowed/,
    );
    await expect(
      helmTemplate('aviary', { values: { loadtester: { enabled: 'yes' } } }),
    ).rejects.toThrow(/loadtester\.enabled: Invalid type/);
    await expect(
      helmTemplate('aviary', { values: { replicaCount: 2, leaderElection: { enabled: false } } }),
    ).rejects.toThrow(/replicaCount above 1 needs leaderElection\.enabled/);
    await expect(
      helmTemplate('aviary', { values: { metricsServer: 'prometheus:9090' } }),
    ).rejects.toBeInstanceOf(HelmError);
  });
});
