// The mesh emulator against the Kubernetes API emulator: routes from a live VirtualService to
// the demo app instances of the selected Deployments, mirrors, adds session-affinity cookies and
// counts what each destination workload received.
import http from 'node:http';
import { startKubeEmulator } from '../../src/kube/emulator.js';
import { ISTIO_CRDS } from '../../src/kube/istio-crds.js';
import type { KubeEmulator } from '../../src/kube/emulator.js';
import { kubeRequest } from '../../src/mesh/kube-client.js';
import type { KubeAccess } from '../../src/mesh/kube-client.js';
import { seededRandom } from '../../src/mesh/routing.js';
import { startMesh } from '../../src/mesh/mesh.js';
import type { Mesh } from '../../src/mesh/mesh.js';

let emulator: KubeEmulator;
let access: KubeAccess;
let mesh: Mesh;

const deployment = (name: string, version: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'app', image: `ghcr.io/stefanprodan/podinfo:${version}` }] },
    },
  },
});
const service = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec: { selector: { app: name }, ports: [{ port: 9898 }] },
});

const vsPath = '/apis/networking.istio.io/v1beta1/namespaces/default/virtualservices';

async function setRoutes(http: unknown[]) {
  const name = 'podinfo';
  let resourceVersion: string | undefined;
  try {
    const current = await kubeRequest<{ metadata: { resourceVersion: string } }>(
      access,
      'GET',
      `${vsPath}/${name}`,
    );
    resourceVersion = current.metadata.resourceVersion;
  } catch {
    resourceVersion = undefined;
  }
  const vs = {
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'VirtualService',
    metadata: { name, namespace: 'default', ...(resourceVersion ? { resourceVersion } : {}) },
    spec: { hosts: ['podinfo'], http },
  };
  if (resourceVersion) await kubeRequest(access, 'PUT', `${vsPath}/${name}`, vs);
  else await kubeRequest(access, 'POST', vsPath, vs);
  await mesh.refresh();
}

function get(host: string, headers: Record<string, string> = {}, path = '/version') {
  // fetch() does not let a caller set Host; the mesh routes by it, as Istio does.
  return new Promise<{ status: number; body: string; setCookie: string[] }>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: mesh.port, path, headers: { host, ...headers } },
      res => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body,
            setCookie: res.headers['set-cookie'] ?? [],
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function send(headers: Record<string, string> = {}) {
  const res = await get('podinfo.default', headers);
  const version =
    res.status === 200 ? (JSON.parse(res.body) as { version?: string }).version : undefined;
  return { status: res.status, version, setCookie: res.setCookie };
}

function requestsOf(workload: string): number {
  const re = new RegExp(
    `istio_requests_total\\{[^}]*destination_workload="${workload}"[^}]*\\} (\\d+)`,
    'g',
  );
  let total = 0;
  for (const m of mesh.metrics.expose().matchAll(re)) total += Number(m[1]);
  return total;
}

beforeAll(async () => {
  emulator = await startKubeEmulator({ crds: ISTIO_CRDS, rolloutDelayMs: 0 });
  access = { url: emulator.url, caPem: emulator.caPem, token: emulator.token };
  for (const [name, version] of [
    ['podinfo-primary', '6.0.0'],
    ['podinfo', '6.0.1'],
  ] as const) {
    await kubeRequest(
      access,
      'POST',
      '/apis/apps/v1/namespaces/default/deployments',
      deployment(name, version),
    );
  }
  for (const name of ['podinfo', 'podinfo-primary', 'podinfo-canary']) {
    const svc = service(name === 'podinfo-canary' ? 'podinfo' : name);
    svc.metadata.name = name;
    await kubeRequest(access, 'POST', '/api/v1/namespaces/default/services', svc);
  }
  mesh = await startMesh({ kube: access, refreshMs: 60_000, random: seededRandom(3) });
});
afterAll(async () => {
  await mesh?.stop();
  await emulator?.stop();
});

it('splits by weight to the revisions the Services select', async () => {
  await setRoutes([
    {
      route: [
        { destination: { host: 'podinfo-primary' }, weight: 80 },
        { destination: { host: 'podinfo-canary' }, weight: 20 },
      ],
    },
  ]);
  const versions = new Map<string, number>();
  for (let i = 0; i < 400; i++) {
    const { version } = await send();
    versions.set(version ?? '', (versions.get(version ?? '') ?? 0) + 1);
  }
  const canaryShare = (versions.get('6.0.1') ?? 0) / 400;
  expect(canaryShare).toBeGreaterThan(0.13);
  expect(canaryShare).toBeLessThan(0.27);
  expect((versions.get('6.0.0') ?? 0) + (versions.get('6.0.1') ?? 0)).toBe(400);
});

it('matches headers (A/B) and falls through to the default route', async () => {
  await setRoutes([
    {
      match: [{ headers: { 'x-canary': { exact: 'insider' } } }],
      route: [{ destination: { host: 'podinfo-canary' } }],
    },
    { route: [{ destination: { host: 'podinfo-primary' } }] },
  ]);
  expect((await send({ 'x-canary': 'insider' })).version).toBe('6.0.1');
  expect((await send()).version).toBe('6.0.0');
});

it('adds the session-affinity cookie and routes by it', async () => {
  await setRoutes([
    {
      match: [{ headers: { cookie: { regex: '.*canary-cookie.*abc.*' } } }],
      route: [{ destination: { host: 'podinfo-canary' } }],
    },
    {
      route: [
        { destination: { host: 'podinfo-primary' }, weight: 0 },
        {
          destination: { host: 'podinfo-canary' },
          weight: 100,
          headers: { response: { add: { 'Set-Cookie': 'canary-cookie=abc; Max-Age=60' } } },
        },
      ],
    },
  ]);
  const first = await send();
  expect(first.version).toBe('6.0.1');
  expect(first.setCookie).toEqual(['canary-cookie=abc; Max-Age=60']);
  const sticky = await send({ cookie: 'canary-cookie=abc' });
  expect(sticky).toEqual({ status: 200, version: '6.0.1', setCookie: [] });
});

it('mirrors to the canary: the client sees the primary, both workloads count the request', async () => {
  await setRoutes([
    {
      route: [{ destination: { host: 'podinfo-primary' }, weight: 100 }],
      mirror: { host: 'podinfo-canary' },
    },
  ]);
  const primaryBefore = requestsOf('podinfo-primary');
  const canaryBefore = requestsOf('podinfo');
  for (let i = 0; i < 20; i++) expect((await send()).version).toBe('6.0.0');
  const deadline = Date.now() + 5000;
  while (requestsOf('podinfo') < canaryBefore + 20 && Date.now() < deadline) {
    await new Promise(r => setTimeout(r, 20));
  }
  expect(requestsOf('podinfo-primary')).toBe(primaryBefore + 20);
  expect(requestsOf('podinfo')).toBe(canaryBefore + 20);
});

it('answers 503 for a Service whose Deployment is scaled to zero, and faults change answers', async () => {
  await setRoutes([{ route: [{ destination: { host: 'podinfo-canary' } }] }]);
  mesh.setFaults('default', 'podinfo', '6.0.1', { errorRatio: 1, latencyMs: 0 });
  expect((await send()).status).toBe(500);
  mesh.setFaults('default', 'podinfo', '6.0.1', { errorRatio: 0, latencyMs: 0 });
  expect((await send()).status).toBe(200);
  await kubeRequest(
    access,
    'PATCH',
    '/apis/apps/v1/namespaces/default/deployments/podinfo',
    { spec: { replicas: 0 } },
    'application/merge-patch+json',
  );
  await mesh.refresh();
  const res = await get('podinfo', {}, '/');
  expect(res).toEqual({ status: 503, body: 'no healthy upstream', setCookie: [] });
});
