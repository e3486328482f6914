/**
 * Malformed input never crashes the emulator: a seeded stream of odd paths, verbs, content
 * types and bodies always gets a Kubernetes `Status` (or a valid object), and the server keeps
 * serving afterwards.
 */
import { request } from 'node:https';
import { startKubeEmulator } from '../../src/index.js';
import type { KubeEmulator } from '../../src/index.js';

let emulator: KubeEmulator;
beforeAll(async () => {
  emulator = await startKubeEmulator({ rolloutDelayMs: 10 });
});
afterAll(() => emulator.stop());

interface Reply {
  status: number;
  body: string;
}

function call(
  method: string,
  path: string,
  body?: Buffer | string,
  contentType = 'application/json',
): Promise<Reply> {
  const url = new URL(path, emulator.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        method,
        hostname: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        ca: emulator.caPem,
        headers: { Authorization: `Bearer ${emulator.token}`, 'Content-Type': contentType },
      },
      res => {
        res.on('error', reject);
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A small deterministic PRNG (mulberry32) so a failure replays exactly. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PATHS = [
  '/api/v1/namespaces',
  '/api/v1/namespaces/default/configmaps',
  '/api/v1/namespaces/default/configmaps/x',
  '/api/v1/namespaces/default/configmaps/x/status',
  '/apis/apps/v1/namespaces/default/deployments',
  '/apis/apps/v1/namespaces/default/deployments/d/scale',
  '/apis/apps/v1/namespaces/nowhere/deployments',
  '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
  '/apis/events.k8s.io/v1/namespaces/default/events',
  '/apis/nope/v9/things',
  '/api/v1/namespaces/default/configmaps?labelSelector=%3D%3D%3D',
  '/api/v1/namespaces/default/configmaps?fieldSelector=metadata.name',
  '/api/v1/namespaces/default/configmaps?continue=%25%25',
  '/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=abc',
  '/api/v1/namespaces/default/configmaps/x?propagationPolicy=Sideways',
  '/apis/apps/v1/namespaces/default/deployments/d?fieldValidation=Loud',
  '/%E0%A4%A',
  '/api/v1/namespaces/default/configmaps/x/y/z/w',
];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'];
const TYPES = [
  'application/json',
  'application/merge-patch+json',
  'application/json-patch+json',
  'application/strategic-merge-patch+json',
  'application/yaml',
  'text/plain',
  'application/vnd.kubernetes.protobuf',
  'application/apply-patch+yaml',
];
const BODIES: Array<string | Buffer> = [
  '',
  '{',
  'null',
  '[]',
  '"string"',
  '42',
  '{"metadata":"nope"}',
  '{"metadata":{"name":123}}',
  '{"apiVersion":"v2","kind":"ConfigMap","metadata":{"name":"x"}}',
  '{"kind":"Deployment","metadata":{"name":"d"},"spec":{"replicas":"three"}}',
  '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}',
  '{"metadata":{"name":"x"},"data":{"k":{"nested":true}}}',
  '[{"op":"remove","path":"/metadata"}]',
  '[{"op":"add","path":"/spec/replicas"}]',
  '{"spec":{"replicas":-1}}',
  '{"metadata":{"name":"x","resourceVersion":"999999"}}',
  Buffer.from([0x6b, 0x38, 0x73, 0x00, 0xff, 0xff, 0xff]),
  Buffer.from([0x00, 0x01, 0x02, 0xfe]),
  'a: [unclosed',
  JSON.stringify({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'bad.example.dev' },
    spec: { group: 'example.dev', versions: [] },
  }),
];

it('answers 600 malformed requests with Kubernetes-shaped replies and keeps serving', async () => {
  const random = rng(20261122);
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)] as T;
  const seen = new Set<number>();
  for (let i = 0; i < 600; i++) {
    const method = pick(METHODS);
    const path = pick(PATHS);
    const reply = await call(
      method,
      path,
      method === 'GET' || method === 'HEAD' ? undefined : pick(BODIES),
      pick(TYPES),
    );
    seen.add(reply.status);
    if (reply.status >= 500)
      throw new Error(`${method} ${path} -> ${reply.status}: ${reply.body.slice(0, 300)}`);
    if (method === 'HEAD' || path.includes('watch=1')) continue;
    let parsed: { kind?: string; code?: number };
    try {
      parsed = JSON.parse(reply.body) as { kind?: string; code?: number };
    } catch {
      throw new Error(
        `${method} ${path} -> ${reply.status}: not JSON: ${reply.body.slice(0, 200)}`,
      );
    }
    if (reply.status >= 400) {
      expect(parsed).toMatchObject({
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        code: reply.status,
      });
    } else {
      expect(typeof parsed.kind).toBe('string');
    }
  }
  // Many kinds of refusal were exercised, and the server still answers normally.
  expect([...seen].filter(s => s >= 400).length).toBeGreaterThanOrEqual(5);
  const health = await call('GET', '/api/v1/namespaces');
  expect(health.status).toBe(200);
});

it('refuses requests without the bearer token with 401 Status', async () => {
  const reply = await new Promise<Reply>((resolve, reject) => {
    const url = new URL('/api/v1/namespaces', emulator.url);
    request(
      { hostname: url.hostname, port: url.port, path: url.pathname, ca: emulator.caPem },
      res => {
        res.on('error', reject);
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    )
      .on('error', reject)
      .end();
  });
  expect(reply.status).toBe(401);
  expect(JSON.parse(reply.body)).toMatchObject({
    kind: 'Status',
    reason: 'Unauthorized',
    code: 401,
  });
});
