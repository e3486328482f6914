import { ControllerApi } from '../http/api/api.js';
import { parseTokens } from '../http/api/auth.js';
import {
  canary,
  FakeCanaries,
  recordingWriter,
  type RecordedPatch,
} from '../http/api/test-fakes.js';
import { startProbeServer, type ProbeServer } from '../http/server.js';
import type { Logger } from '../kube/index.js';
import { EXIT, runAviary } from './aviary-cli.js';

const quiet: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

describe('aviary against the controller API', () => {
  let server: ProbeServer;
  let api: ControllerApi;
  const canaries = new FakeCanaries();
  const patches: RecordedPatch[] = [];
  let ids = 0;

  beforeAll(async () => {
    api = new ControllerApi({
      sources: {
        canaries,
        virtualServices: { get: () => undefined },
        deployments: { get: () => undefined },
      },
      writer: recordingWriter(patches),
      tokens: () => parseTokens('cli-token:dev'),
      openReads: false,
      log: quiet,
      newId: () => `id-${++ids}`,
    });
    server = await startProbeServer({
      port: 0,
      host: '127.0.0.1',
      metrics: async () => ({ contentType: 'text/plain', body: '' }),
      readiness: () => ({ synced: true, role: 'standalone' }),
      api,
    });
  });
  afterAll(async () => {
    api.close();
    await server.close();
  });

  async function aviary(...argv: string[]) {
    let out = '';
    let err = '';
    const code = await runAviary(argv, {
      env: { AVIARY_SERVER: `http://127.0.0.1:${server.port}`, AVIARY_TOKEN: 'cli-token' },
      io: { out: t => (out += t), err: t => (err += t) },
    });
    return { code, out, err };
  }

  it('list, get and describe, as tables and JSON', async () => {
    canaries.put(
      canary('shop', 'cart', { phase: 'Progressing', canaryWeight: 30, lastAppliedSpec: 'abc123' }),
    );
    const list = await aviary('list', '-n', 'shop');
    expect(list.code).toBe(EXIT.ok);
    expect(list.out).toMatch(/^NAMESPACE\s+NAME\s+PHASE\s+WEIGHT/);
    expect(list.out).toMatch(/shop\s+cart\s+Progressing\s+30/);
    const json = await aviary('get', 'shop/cart', '-o', 'json');
    expect(JSON.parse(json.out)).toMatchObject({ name: 'cart', weight: 30, revision: 'abc123' });
    const described = await aviary('describe', 'shop/cart');
    expect(described.out).toContain('Phase:         Progressing');
    expect((await aviary('get', 'shop/nope')).code).toBe(EXIT.error);
  });

  it('actions write the request; errors of the API are shown', async () => {
    const res = await aviary('promote', 'shop/cart', '--reason', 'ship it');
    expect(res).toMatchObject({ code: EXIT.ok });
    expect(res.out).toContain('promote of shop/cart revision abc123 requested (id id-1, by dev)');
    expect(patches.at(-1)?.patch).toMatchObject({
      spec: {
        manualAction: {
          action: 'promote',
          revision: 'abc123',
          reason: 'ship it',
          requestedBy: 'dev',
        },
      },
    });
    const denied = await aviary('pause', 'shop/cart', '--on-behalf-of', 'someone');
    expect(denied.code).toBe(EXIT.error);
    expect(denied.err).toContain('403');
    expect((await aviary('explode', 'shop/cart')).code).toBe(EXIT.error);
  });

  it('--wait-ack waits for the acknowledgement of the request id', async () => {
    canaries.put(canary('shop', 'ack', { phase: 'Progressing', lastAppliedSpec: 'r9' }));
    const pending = aviary('abort', 'shop/ack', '--wait-ack', '5s');
    setTimeout(() => {
      canaries.put(
        canary('shop', 'ack', {
          phase: 'Progressing',
          lastAppliedSpec: 'r9',
          manualAction: { id: 'other', action: 'pause', outcome: 'Applied' },
        }),
      );
      canaries.put(
        canary('shop', 'ack', {
          phase: 'Progressing',
          lastAppliedSpec: 'r9',
          manualAction: { id: 'id-2', action: 'abort', outcome: 'Refused', message: 'not now' },
        }),
      );
    }, 100);
    const refused = await pending;
    expect(refused.code).toBe(EXIT.failed);
    expect(refused.out).toBe('abort of shop/ack: Refused (not now)\n');
    const noAnswer = await aviary('resume', 'shop/ack', '--wait-ack', '300ms');
    expect(noAnswer.code).toBe(EXIT.timeout);
  });

  it('wait with a rejected token is an error, not a timeout', async () => {
    let err = '';
    const code = await runAviary(['wait', 'shop/cart', '--timeout', '5s'], {
      env: { AVIARY_SERVER: `http://127.0.0.1:${server.port}`, AVIARY_TOKEN: 'wrong' },
      io: { out: () => {}, err: t => (err += t) },
    });
    expect(code).toBe(EXIT.error);
    expect(err).toContain('401');
  });

  it('wait: 0 when the revision is promoted, 1 when it fails, 2 on timeout', async () => {
    canaries.put(canary('shop', 'a', { phase: 'Progressing', lastAppliedSpec: 'r1' }));
    const promoted = aviary('wait', 'shop/a', '--revision', 'r1', '--timeout', '10s');
    setTimeout(
      () => canaries.put(canary('shop', 'a', { phase: 'Promoting', lastAppliedSpec: 'r1' })),
      50,
    );
    setTimeout(
      () => canaries.put(canary('shop', 'a', { phase: 'Succeeded', lastAppliedSpec: 'r1' })),
      100,
    );
    const ok = await promoted;
    expect(ok.code).toBe(EXIT.ok);
    expect(ok.out).toMatch(/Progressing[\s\S]*Promoting[\s\S]*Succeeded/);

    canaries.put(canary('shop', 'b', { phase: 'Progressing', lastAppliedSpec: 'r2' }));
    const failing = aviary('wait', 'shop/b', '--timeout', '10s');
    setTimeout(
      () => canaries.put(canary('shop', 'b', { phase: 'Failed', lastAppliedSpec: 'r2' })),
      50,
    );
    expect((await failing).code).toBe(EXIT.failed);

    canaries.put(canary('shop', 'c', { phase: 'Succeeded', lastAppliedSpec: 'old' }));
    const timedOut = await aviary('wait', 'shop/c', '--revision', 'new', '--timeout', '300ms');
    expect(timedOut.code).toBe(EXIT.timeout);
    expect(timedOut.err).toContain('not finished after 300ms');
  });
});
