import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { freePort } from '../alerts/__testUtils__/sinkServer';
import { ADMIN, ALICE, BOB, startCanaryBackend } from './__testUtils__/backend';
import { FakeController } from '../__testUtils__/fakeController';

jest.setTimeout(60_000);

const PODINFO_IMAGES = {
  canary: ['ghcr.io/example/podinfo:2.0.0'],
  primary: ['ghcr.io/example/podinfo:1.0.0'],
};

// Every supported engine: the routes read the store (ids, paging) as users would.
const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())('canary routes on %s', databaseId => {
  let prod: FakeController;
  let backend: Awaited<ReturnType<typeof startCanaryBackend>>;
  let api: () => ReturnType<typeof request>;

  beforeAll(async () => {
    prod = await FakeController.start({
      token: 'prod-token',
      canaries: [
        {
          namespace: 'shop',
          name: 'podinfo',
          phase: 'Progressing',
          weight: 20,
          revision: 'abc123',
          images: PODINFO_IMAGES,
        },
        { namespace: 'shop', name: 'cart', phase: 'Succeeded', revision: 'c4r7' },
        { namespace: 'shop', name: 'orphan', phase: 'Failed', revision: '0rph' },
        { namespace: 'shop', name: 'ghost-entityless', phase: 'Initialized' },
      ],
    });
    const edgePort = await freePort(); // nothing listens: the edge controller is down
    const knex = await databases.init(databaseId);
    backend = await startCanaryBackend({
      knex,
      canary: {
        controllers: [
          { name: 'prod', url: prod.url, token: 'prod-token' },
          { name: 'edge', url: `http://127.0.0.1:${edgePort}`, token: 'edge-token' },
        ],
        history: { resyncInterval: '1h' },
      },
    });
    api = () => request(backend.server);
  });

  afterAll(async () => {
    await backend?.backend.stop();
    await prod?.stop();
  });

  describe('authentication', () => {
    it.each([
      ['get', '/api/canary/entity/component/shop/podinfo/canaries'],
      ['get', '/api/canary/canaries'],
      ['get', '/api/canary/clusters/prod/namespaces/shop/canaries/podinfo'],
      ['get', '/api/canary/clusters/prod/namespaces/shop/canaries/podinfo/rollouts'],
      ['get', '/api/canary/rollouts/1'],
      ['get', '/api/canary/stream'],
      ['post', '/api/canary/clusters/prod/namespaces/shop/canaries/podinfo/actions'],
    ] as const)('%s %s without a token is 401', async (method, path) => {
      const res = await api()[method](path);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({
        error: { name: 'AuthenticationError' },
        response: { statusCode: 401 },
      });
    });
  });

  describe('GET /entity/:kind/:namespace/:name/canaries', () => {
    it('serves the live state of each canary the annotation names', async () => {
      const res = await api().get('/api/canary/entity/component/shop/podinfo/canaries').set(ALICE);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        entityRef: 'component:shop/podinfo',
        canaries: [
          {
            ref: { cluster: 'prod', namespace: 'shop', name: 'podinfo' },
            state: {
              cluster: 'prod',
              namespace: 'shop',
              name: 'podinfo',
              phase: 'Progressing',
              weight: 20,
              images: { canary: ['ghcr.io/example/podinfo:2.0.0'] },
            },
          },
        ],
      });
    });

    it('reports a canary whose controller is down as a 503 entry, not a failed response', async () => {
      const res = await api().get('/api/canary/entity/component/shop/cart/canaries').set(BOB);
      expect(res.status).toBe(200);
      expect(res.body.canaries).toHaveLength(2);
      expect(res.body.canaries[0]).toMatchObject({
        ref: { cluster: 'prod', namespace: 'shop', name: 'cart' },
        state: { phase: 'Succeeded' },
      });
      expect(res.body.canaries[1]).toEqual({
        ref: { cluster: 'edge', namespace: 'shop', name: 'cart-edge' },
        error: { status: 503, message: expect.any(String) },
      });
      expect(res.body.canaries[1].error.message).not.toContain('edge-token');
    });

    it('refuses a user who may not read the entity with the standard error body', async () => {
      const res = await api().get('/api/canary/entity/component/shop/cart/canaries').set(ALICE);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({
        error: expect.objectContaining({
          name: 'NotAllowedError',
          message: 'you may not read the canaries of component:shop/cart (permission canary.read)',
        }),
        // the path as the plugin's router saw it, below /api/canary
        request: { method: 'GET', url: '/entity/component/shop/cart/canaries' },
        response: { statusCode: 403 },
      });
    });

    it('is 404 for an entity the catalog does not have', async () => {
      const res = await api().get('/api/canary/entity/component/shop/nope/canaries').set(ALICE);
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({
        name: 'NotFoundError',
        message: 'entity component:shop/nope not found in the catalog',
      });
    });

    it('is 400 naming the annotation to add when the entity has none', async () => {
      const res = await api()
        .get('/api/canary/entity/component/default/no-canary/canaries')
        .set(ALICE);
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toContain(
        'entity component:default/no-canary has no aviary.dev/canary annotation',
      );
    });

    it("is 400 with the parser's message for a malformed annotation", async () => {
      const res = await api()
        .get('/api/canary/entity/component/default/bad-canary/canaries')
        .set(ALICE);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe('"prod:Shop/podinfo": "Shop" is not a valid namespace');
    });
  });

  describe('GET /clusters/:cluster/namespaces/:namespace/canaries/:name', () => {
    it('serves the live detail to an owner', async () => {
      const res = await api()
        .get('/api/canary/clusters/prod/namespaces/shop/canaries/podinfo')
        .set(ALICE);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        cluster: 'prod',
        name: 'podinfo',
        spec: { analysis: { maxWeight: 50 } },
      });
    });

    it('is 403 for another user', async () => {
      const res = await api()
        .get('/api/canary/clusters/prod/namespaces/shop/canaries/podinfo')
        .set(BOB);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        'you may not read canary prod:shop/podinfo (permission canary.read on component:shop/podinfo)',
      );
    });

    it('is 403 for a canary no entity names unless the policy grants reading everything', async () => {
      const refused = await api()
        .get('/api/canary/clusters/prod/namespaces/shop/canaries/orphan')
        .set(ALICE);
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toContain('belongs to no catalog entity');
      const allowed = await api()
        .get('/api/canary/clusters/prod/namespaces/shop/canaries/orphan')
        .set(ADMIN);
      expect(allowed.status).toBe(200);
      expect(allowed.body.phase).toBe('Failed');
    });

    it('is 404 when the controller does not know the canary', async () => {
      const res = await api()
        .get('/api/canary/clusters/prod/namespaces/shop/canaries/missing')
        .set(ADMIN);
      expect(res.status).toBe(404);
      expect(res.body.error.message).toBe('canary prod:shop/missing not found on its controller');
    });

    it('is 404 for a cluster that is not configured', async () => {
      const res = await api()
        .get('/api/canary/clusters/mars/namespaces/shop/canaries/podinfo')
        .set(ADMIN);
      expect(res.status).toBe(404);
      expect(res.body.response).toEqual({ statusCode: 404 });
    });

    it('is 503 when the controller is unreachable', async () => {
      const res = await api()
        .get('/api/canary/clusters/edge/namespaces/shop/canaries/cart-edge')
        .set(BOB);
      expect(res.status).toBe(503);
      expect(res.body.response).toEqual({ statusCode: 503 });
      expect(JSON.stringify(res.body)).not.toContain('edge-token');
    });

    it('is 400 naming a malformed path part', async () => {
      const res = await api()
        .get('/api/canary/clusters/prod/namespaces/Shop/canaries/podinfo')
        .set(ADMIN);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe('"prod:Shop/podinfo": "Shop" is not a valid namespace');
    });
  });

  describe('GET /canaries', () => {
    it('shows a user only the canaries of entities they may read, with owner', async () => {
      const res = await api().get('/api/canary/canaries').set(ALICE);
      expect(res.status).toBe(200);
      expect(res.body.unreachable).toEqual(['edge']);
      expect(res.body.items.map((i: { canary: { name: string } }) => i.canary.name)).toEqual([
        'podinfo',
      ]);
      expect(res.body.items[0]).toMatchObject({
        canary: { cluster: 'prod', namespace: 'shop', name: 'podinfo', phase: 'Progressing' },
        entityRef: 'component:shop/podinfo',
        owner: 'group:shop/team-a',
      });
    });

    it('keeps the canaries of an unreachable controller, from the catalog and history', async () => {
      const res = await api().get('/api/canary/canaries').set(BOB);
      expect(
        res.body.items.map(
          (i: { canary: { cluster: string; name: string } }) =>
            `${i.canary.cluster}:${i.canary.name}`,
        ),
      ).toEqual(['edge:cart-edge', 'prod:cart']);
      expect(res.body.items[0].canary.message).toContain('controller unreachable');
    });

    it('shows canaries of no entity only to a policy that allows reading everything', async () => {
      const res = await api().get('/api/canary/canaries').set(ADMIN);
      const names = res.body.items.map((i: { canary: { name: string } }) => i.canary.name);
      expect(names).toEqual(['cart-edge', 'cart', 'ghost-entityless', 'orphan', 'podinfo']);
      const orphan = res.body.items.find(
        (i: { canary: { name: string } }) => i.canary.name === 'orphan',
      );
      expect(orphan.entityRef).toBeUndefined();
    });

    it('filters by owner, phase and cluster', async () => {
      const byOwner = await api().get('/api/canary/canaries?owner=group:default/team-b').set(ADMIN);
      expect(byOwner.body.items.map((i: { canary: { name: string } }) => i.canary.name)).toEqual([
        'cart-edge',
        'cart',
      ]);
      const shortOwner = await api().get('/api/canary/canaries?owner=team-b').set(ADMIN);
      expect(shortOwner.body.items).toHaveLength(2);
      const byPhase = await api().get('/api/canary/canaries?phase=Failed').set(ADMIN);
      expect(byPhase.body.items.map((i: { canary: { name: string } }) => i.canary.name)).toEqual([
        'orphan',
      ]);
      const byCluster = await api().get('/api/canary/canaries?cluster=prod').set(ADMIN);
      expect(byCluster.body.unreachable).toEqual([]);
      expect(byCluster.body.items).toHaveLength(4);
    });

    it('is 400 for an unknown cluster or a repeated parameter', async () => {
      const cluster = await api().get('/api/canary/canaries?cluster=mars').set(ADMIN);
      expect(cluster.status).toBe(400);
      expect(cluster.body.error.message).toBe('cluster must be one of prod, edge');
      const twice = await api().get('/api/canary/canaries?phase=Failed&phase=Succeeded').set(ADMIN);
      expect(twice.status).toBe(400);
      expect(twice.body.error.message).toBe('phase must be given at most once');
    });
  });

  describe('history', () => {
    async function podinfoRollouts() {
      // Ingestion records the rollout from the controller's list at start; wait for it.
      for (let i = 0; i < 200; i++) {
        const res = await api()
          .get('/api/canary/clusters/prod/namespaces/shop/canaries/podinfo/rollouts')
          .set(ALICE);
        if (res.status === 200 && res.body.items.length > 0) return res;
        await new Promise(resolve => setTimeout(resolve, 50));
      }
      throw new Error('no rollout of prod:shop/podinfo was recorded');
    }

    it('pages the rollouts of a canary and serves one with its checks', async () => {
      const page = await podinfoRollouts();
      expect(page.body.items[0]).toMatchObject({
        cluster: 'prod',
        namespace: 'shop',
        name: 'podinfo',
        revision: 'abc123',
        outcome: 'Running',
      });
      const one = await api().get(`/api/canary/rollouts/${page.body.items[0].id}`).set(ALICE);
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({
        id: page.body.items[0].id,
        checks: [],
        events: expect.any(Array),
      });
    });

    it('refuses the history of a canary the user may not read', async () => {
      const page = await podinfoRollouts();
      const list = await api()
        .get('/api/canary/clusters/prod/namespaces/shop/canaries/podinfo/rollouts')
        .set(BOB);
      expect(list.status).toBe(403);
      const one = await api().get(`/api/canary/rollouts/${page.body.items[0].id}`).set(BOB);
      expect(one.status).toBe(403);
    });

    it('is 404 for an unknown rollout and 400 for a bad limit', async () => {
      const missing = await api().get('/api/canary/rollouts/999999').set(ALICE);
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toBe('rollout 999999 not found');
      const notAnId = await api().get('/api/canary/rollouts/not-an-id').set(ALICE);
      expect(notAnId.status).toBe(404);
      const limit = await api()
        .get('/api/canary/clusters/prod/namespaces/shop/canaries/podinfo/rollouts?limit=0')
        .set(ALICE);
      expect(limit.status).toBe(400);
      expect(limit.body.error.message).toBe('limit must be a whole number from 1 to 100');
    });
  });

  describe('POST .../actions', () => {
    const path = '/api/canary/clusters/prod/namespaces/shop/canaries/podinfo/actions';

    it("proxies an owner's action to the controller on behalf of the user and records it", async () => {
      const before = prod.actions.length;
      const res = await api()
        .post(path)
        .set(ALICE)
        .send({ action: 'promote', reason: 'dashboards look good', revision: 'abc123' });
      expect(res.status).toBe(202);
      expect(res.body).toEqual({
        requestId: expect.any(String),
        action: 'promote',
        ref: { cluster: 'prod', namespace: 'shop', name: 'podinfo' },
      });
      expect(prod.actions.slice(before)).toEqual([
        {
          path: '/api/v1/namespaces/shop/canaries/podinfo/actions',
          authorization: 'Bearer prod-token',
          body: expect.objectContaining({
            action: 'promote',
            reason: 'dashboards look good',
            revision: 'abc123',
            onBehalfOf: 'user:default/alice',
          }),
        },
      ]);
      expect(res.body.requestId).toBe(`req-${prod.actions.length}`);

      expect(backend.audits.at(-1)).toEqual({
        eventId: 'canary-action',
        meta: {
          canary: 'prod:shop/podinfo',
          action: 'promote',
          reason: 'dashboards look good',
          revision: 'abc123',
        },
        result: { status: 'succeeded', meta: { requestId: res.body.requestId } },
      });

      const rollouts = await api()
        .get('/api/canary/clusters/prod/namespaces/shop/canaries/podinfo/rollouts')
        .set(ALICE);
      const current = await api()
        .get(`/api/canary/rollouts/${rollouts.body.items[0].id}`)
        .set(ALICE);
      expect(current.body.actors).toContainEqual(
        expect.objectContaining({
          action: 'promote',
          by: 'user:default/alice',
          reason: 'dashboards look good',
          outcome: 'Requested',
        }),
      );
    });

    it('refuses another user and sends nothing to the controller', async () => {
      const before = prod.actions.length;
      const res = await api().post(path).set(BOB).send({ action: 'abort', reason: 'mine now' });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        'you may not act on canary prod:shop/podinfo (permission canary.action on component:shop/podinfo)',
      );
      expect(prod.actions.length).toBe(before);
      expect(backend.audits.at(-1)).toMatchObject({
        eventId: 'canary-action',
        meta: { canary: 'prod:shop/podinfo', action: 'abort' },
        result: { status: 'failed', error: expect.stringContaining('you may not act') },
      });
    });

    it('refuses a service token: only people act', async () => {
      const res = await api()
        .post(path)
        .set({ Authorization: mockCredentials.service.header() })
        .send({ action: 'promote', reason: 'automation' });
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('NotAllowedError');
    });

    it('refuses an action on a canary no entity names, saying how to fix it', async () => {
      const res = await api()
        .post('/api/canary/clusters/prod/namespaces/shop/canaries/orphan/actions')
        .set(ADMIN)
        .send({ action: 'retry', reason: 'try again' });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain(
        'canary prod:shop/orphan belongs to no catalog entity: add "aviary.dev/canary: prod:shop/orphan"',
      );
    });

    it.each([
      [{ reason: 'x' }, 'action must be one of promote, abort, retry, pause, resume'],
      [
        { action: 'explode', reason: 'x' },
        'action must be one of promote, abort, retry, pause, resume',
      ],
      [{ action: 'abort' }, 'reason is required: say why, it goes into the audit trail'],
      [
        { action: 'abort', reason: '   ' },
        'reason is required: say why, it goes into the audit trail',
      ],
      [{ action: 'abort', reason: 'x'.repeat(501) }, 'reason must be at most 500 characters'],
      [
        { action: 'abort', reason: 'x', revision: 5 },
        'revision must be a non-empty string when given',
      ],
      [[1, 2], 'body must be a JSON object with action and reason'],
    ])('is 400 for the body %j', async (body, message) => {
      const before = prod.actions.length;
      const res = await api()
        .post(path)
        .set(ALICE)
        .send(body as object);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ name: 'InputError', message });
      expect(prod.actions.length).toBe(before);
    });

    it('is 400 for a body that is not JSON', async () => {
      const res = await api()
        .post(path)
        .set(ALICE)
        .set('content-type', 'application/json')
        .send('{"action": "promote",');
      expect(res.status).toBe(400);
      expect(res.body.response).toEqual({ statusCode: 400 });
    });

    it('is 503 when the controller is down, and records nothing', async () => {
      const res = await api()
        .post('/api/canary/clusters/edge/namespaces/shop/canaries/cart-edge/actions')
        .set(BOB)
        .send({ action: 'abort', reason: 'bad build' });
      expect(res.status).toBe(503);
      expect(res.body.response).toEqual({ statusCode: 503 });
    });
  });

  describe('GET /stream', () => {
    it('streams the changes of readable canaries as server-sent events', async () => {
      const controller = new AbortController();
      const response = await fetch(`http://127.0.0.1:${backend.server.port()}/api/canary/stream`, {
        headers: ALICE,
        signal: controller.signal,
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      // Bob's cart first, then Alice's podinfo: only the second may reach Alice.
      prod.set({
        namespace: 'shop',
        name: 'cart',
        phase: 'Progressing',
        revision: 'c4r8',
        weight: 10,
      });
      prod.set({
        namespace: 'shop',
        name: 'podinfo',
        phase: 'Progressing',
        revision: 'abc123',
        weight: 40,
        images: PODINFO_IMAGES,
      });
      while (!text.includes('"weight":40')) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended early: ${text}`);
        text += decoder.decode(value, { stream: true });
      }
      controller.abort();
      const events = text.split('\n\n').filter(block => block.startsWith('event:'));
      expect(events.every(e => !e.includes('"name":"cart"'))).toBe(true);
      const podinfo = events.find(e => e.includes('"weight":40'))!;
      expect(podinfo.split('\n')[0]).toBe('event: canary');
      expect(JSON.parse(podinfo.split('\n')[1]!.slice('data: '.length))).toMatchObject({
        type: 'canary',
        canary: { cluster: 'prod', namespace: 'shop', name: 'podinfo', weight: 40 },
      });
    });
  });
});
