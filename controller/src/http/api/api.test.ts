import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../kube/index.js';
import { startProbeServer, type ProbeServer } from '../server.js';
import { ControllerApi } from './api.js';
import { parseTokens } from './auth.js';
import { OPENAPI_DOCUMENT } from './openapi.js';
import { canary, FakeCanaries, recordingWriter, type RecordedPatch } from './test-fakes.js';

const TOKENS = parseTokens(
  [
    '# comment',
    'reader-token:alice:read',
    'writer-token:bob',
    'backstage-token:backstage:trusted',
  ].join('\n'),
);

interface Setup {
  server: ProbeServer;
  api: ControllerApi;
  canaries: FakeCanaries;
  patches: RecordedPatch[];
  logs: string[];
  url(path: string): string;
}

async function setup(openReads: boolean): Promise<Setup> {
  const canaries = new FakeCanaries();
  const patches: RecordedPatch[] = [];
  const logs: string[] = [];
  const line = (level: string) => (msg: string, fields?: Record<string, unknown>) =>
    logs.push(`${level} ${msg} ${JSON.stringify(fields ?? {})}`);
  const log: Logger = {
    debug: line('debug'),
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
  };
  canaries.put(
    canary(
      'shop',
      'cart',
      { phase: 'Progressing', canaryWeight: 20, lastAppliedSpec: 'rev-2' },
      { team: 'a' },
    ),
  );
  canaries.put(
    canary('shop', 'checkout', { phase: 'Succeeded', lastAppliedSpec: 'rev-1' }, { team: 'b' }),
  );
  canaries.put(canary('blog', 'web', { phase: 'Failed' }, { team: 'a' }));
  const api = new ControllerApi({
    sources: {
      canaries,
      virtualServices: {
        get: (ns, name) =>
          ns === 'shop' && name === 'cart'
            ? ({
                metadata: { name: 'cart' },
                spec: {
                  http: [
                    {
                      route: [
                        { destination: { host: 'cart-primary' }, weight: 80 },
                        { destination: { host: 'cart-canary' }, weight: 20 },
                      ],
                    },
                  ],
                },
              } as never)
            : undefined,
      },
      deployments: {
        get: (_ns, name) =>
          ({
            spec: { template: { spec: { containers: [{ name: 'app', image: `${name}:v` }] } } },
          }) as never,
      },
      checks: (ns, name) =>
        ns === 'shop' && name === 'cart'
          ? [
              {
                time: '2026-01-02T03:04:00Z',
                metric: 'request-success-rate',
                value: 98.5,
                outcome: 'value',
                thresholdRange: { min: 99 },
                verdict: 'fail',
                message: 'Halt cart.shop advancement success rate 98.50% < 99%',
              },
            ]
          : [],
      events: (ns, name) =>
        ns === 'shop' && name === 'cart'
          ? [
              {
                metadata: { namespace: 'shop', name: 'cart.2' },
                involvedObject: { apiVersion: 'aviary.dev/v1beta1', kind: 'Canary', name: 'cart' },
                type: 'Warning',
                reason: 'Synced',
                message: 'Halt advancement',
                count: 3,
                firstTimestamp: '2026-01-02T03:02:00Z',
                lastTimestamp: '2026-01-02T03:04:00Z',
              },
              {
                metadata: {
                  namespace: 'shop',
                  name: 'cart.1',
                  creationTimestamp: '2026-01-02T03:00:00Z',
                },
                involvedObject: { apiVersion: 'aviary.dev/v1beta1', kind: 'Canary', name: 'cart' },
                type: 'Normal',
                reason: 'Synced',
                message: 'New revision detected',
              },
            ]
          : [],
    },
    writer: recordingWriter(patches),
    tokens: () => TOKENS,
    openReads,
    log,
    newId: () => '00000000-0000-4000-8000-000000000001',
    now: () => new Date('2026-01-02T03:04:05.678Z'),
    ringCapacity: 5,
    heartbeatMs: 50,
  });
  const server = await startProbeServer({
    port: 0,
    host: '127.0.0.1',
    metrics: async () => ({ contentType: 'text/plain', body: '' }),
    readiness: () => ({ synced: true, role: 'standalone' }),
    api,
  });
  return {
    server,
    api,
    canaries,
    patches,
    logs,
    url: p => `http://127.0.0.1:${server.port}/api/v1${p}`,
  };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('controller API, reads closed', () => {
  let s: Setup;
  beforeAll(async () => (s = await setup(false)));
  afterAll(async () => {
    s.api.close();
    await s.server.close();
  });

  it('serves the OpenAPI document without a token', async () => {
    const res = await fetch(s.url('/openapi.json'));
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/canaries', '/namespaces/{namespace}/canaries/{name}', '/stream']),
    );
  });

  it('401 without a token or with an unknown one, and never logs the token', async () => {
    const none = await fetch(s.url('/canaries'));
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    const wrong = await fetch(s.url('/canaries'), { headers: bearer('not-a-real-secret-token') });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: 'invalid bearer token' });
    expect(s.logs.join('\n')).not.toContain('not-a-real-secret-token');
    expect(s.logs.some(l => l.includes('"status":401'))).toBe(true);
  });

  it('lists with namespace, label selector and phase filters', async () => {
    const names = async (query: string) => {
      const res = await fetch(s.url(`/canaries${query}`), { headers: bearer('reader-token') });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { items: Array<{ namespace: string; name: string }> };
      return body.items.map(i => `${i.namespace}/${i.name}`);
    };
    expect(await names('')).toEqual(['blog/web', 'shop/cart', 'shop/checkout']);
    expect(await names('?namespace=shop')).toEqual(['shop/cart', 'shop/checkout']);
    expect(await names('?labelSelector=team%3Da')).toEqual(['blog/web', 'shop/cart']);
    expect(await names('?labelSelector=team!%3Da,team')).toEqual(['shop/checkout']);
    expect(await names('?phase=Progressing')).toEqual(['shop/cart']);
  });

  it('400 names the field of a bad query', async () => {
    const check = async (query: string, field: string) => {
      const res = await fetch(s.url(`/canaries${query}`), { headers: bearer('reader-token') });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ field });
    };
    await check('?phase=Sleeping', 'phase');
    await check('?namespace=Not_Valid', 'namespace');
    await check('?colour=red', 'colour');
    await check('?labelSelector=a%3D%3D%3Db', 'labelSelector');
  });

  it('reads one canary: status, weights, images, checks, events; 404 for an unknown one', async () => {
    const res = await fetch(s.url('/namespaces/shop/canaries/cart'), {
      headers: bearer('reader-token'),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      namespace: 'shop',
      name: 'cart',
      phase: 'Progressing',
      weight: 20,
      revision: 'rev-2',
      weights: { primary: 80, canary: 20 },
      images: { canary: ['cart:v'], primary: ['cart-primary:v'] },
      checks: [
        {
          time: '2026-01-02T03:04:00Z',
          metric: 'request-success-rate',
          value: 98.5,
          outcome: 'value',
          thresholdRange: { min: 99 },
          verdict: 'fail',
        },
      ],
      events: [
        {
          type: 'Warning',
          reason: 'Synced',
          message: 'Halt advancement',
          count: 3,
          firstTimestamp: '2026-01-02T03:02:00Z',
          lastTimestamp: '2026-01-02T03:04:00Z',
        },
        {
          type: 'Normal',
          reason: 'Synced',
          message: 'New revision detected',
          count: 1,
          firstTimestamp: '2026-01-02T03:00:00Z',
          lastTimestamp: '2026-01-02T03:00:00Z',
        },
      ],
      spec: { analysis: { stepWeight: 10, maxWeight: 50 } },
    });
    const other = await fetch(s.url('/namespaces/shop/canaries/checkout'), {
      headers: bearer('reader-token'),
    });
    expect(await other.json()).toMatchObject({ checks: [], events: [] });
    const missing = await fetch(s.url('/namespaces/shop/canaries/nope'), {
      headers: bearer('reader-token'),
    });
    expect(missing.status).toBe(404);
    expect((await fetch(s.url('/nothing-here'), { headers: bearer('reader-token') })).status).toBe(
      404,
    );
    const malformed = await fetch(s.url('/namespaces/%E0%A4%A/canaries/cart'), {
      headers: bearer('reader-token'),
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ field: 'namespace' });
  });

  it('actions: 403 for a read-only token, 202 with the patch written, revision filled in', async () => {
    const post = (token: string | undefined, body: unknown, target = 'shop/canaries/cart') =>
      fetch(s.url(`/namespaces/${target}/actions`), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? bearer(token) : {}) },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    expect((await post(undefined, { action: 'promote' })).status).toBe(401);
    const readOnly = await post('reader-token', { action: 'promote' });
    expect(readOnly.status).toBe(403);
    expect(s.patches).toHaveLength(0);

    const ok = await post('writer-token', { action: 'promote', reason: 'looks good' });
    expect(ok.status).toBe(202);
    const manualAction = {
      id: '00000000-0000-4000-8000-000000000001',
      action: 'promote',
      revision: 'rev-2',
      requestedBy: 'bob',
      reason: 'looks good',
      requestedAt: '2026-01-02T03:04:05Z',
    };
    expect(await ok.json()).toEqual(manualAction);
    expect(s.patches).toEqual([
      { namespace: 'shop', name: 'cart', patch: { spec: { manualAction } } },
    ]);
    expect((await post('writer-token', { action: 'abort' }, 'shop/canaries/gone')).status).toBe(
      404,
    );
    const noRevision = await post('writer-token', { action: 'abort' }, 'blog/canaries/web');
    expect(noRevision.status).toBe(409);
  });

  it('actions: 400 naming the field of a malformed body', async () => {
    const post = async (body: unknown, field: string) => {
      const res = await fetch(s.url('/namespaces/shop/canaries/cart/actions'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer('writer-token') },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ field });
    };
    await post({ action: 'explode' }, 'action');
    await post({}, 'action');
    await post({ action: 'abort', reason: 42 }, 'reason');
    await post({ action: 'abort', extra: true }, 'extra');
    await post({ action: 'abort', revision: '' }, 'revision');
    await post('{not json', 'body');
    await post('null', 'body');
  });

  it('onBehalfOf only for trusted tokens', async () => {
    const post = (token: string) =>
      fetch(s.url('/namespaces/shop/canaries/cart/actions'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(token) },
        body: JSON.stringify({ action: 'pause', revision: 'rev-2', onBehalfOf: 'carol' }),
      });
    const before = s.patches.length;
    const denied = await post('writer-token');
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ field: 'onBehalfOf' });
    expect(s.patches).toHaveLength(before);
    const allowed = await post('backstage-token');
    expect(allowed.status).toBe(202);
    expect(await allowed.json()).toMatchObject({ requestedBy: 'carol', action: 'pause' });
    expect(s.logs.join('\n')).not.toMatch(/writer-token|backstage-token|reader-token/);
  });
});

describe('controller API, reads open', () => {
  let s: Setup;
  beforeAll(async () => (s = await setup(true)));
  afterAll(async () => {
    s.api.close();
    await s.server.close();
  });

  it('reads need no token, a bad token is still 401, writes still need one', async () => {
    expect((await fetch(s.url('/canaries'))).status).toBe(200);
    expect((await fetch(s.url('/namespaces/shop/canaries/cart'))).status).toBe(200);
    expect((await fetch(s.url('/canaries'), { headers: bearer('wrong') })).status).toBe(401);
    const write = await fetch(s.url('/namespaces/shop/canaries/cart/actions'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'abort' }),
    });
    expect(write.status).toBe(401);
    expect(s.patches).toHaveLength(0);
  });
});

describe('openapi.json in the repository', () => {
  it('is the document the controller serves (regenerate: see controller/README.md)', () => {
    const file = path.join(__dirname, 'openapi.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(
      JSON.parse(JSON.stringify(OPENAPI_DOCUMENT)),
    );
  });
});
