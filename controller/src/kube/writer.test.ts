// ObjectWriter against the emulated API server: what each verb stores, the typed errors, the
// conflict retry loop, and that Secret data never shows up in an error.
import type { Canary } from '../api/types.js';
import {
  AlreadyExistsError,
  ConflictError,
  KubeApiError,
  NotFoundError,
  retryOnConflict,
} from './errors.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from './client.js';
import { CANARIES, CONFIGMAPS, SECRETS } from './resources.js';
import { createObjectWriter } from './writer.js';
import { startTestCluster, type TestCluster } from './test-support/cluster.js';
import type { KubeObject } from './types.js';

interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

let cluster: TestCluster;
let ns: string;

beforeAll(async () => {
  cluster = await startTestCluster();
  ns = await cluster.namespace('writer');
});
afterAll(() => cluster.stop());

const plainKubeconfig = (server: string) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'u', user: { token: 't' } }],
    contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
    'current-context': 'ctx',
  });

const cm = (name: string, data: Record<string, string> = {}): ConfigMap => ({
  metadata: { name, namespace: ns },
  data,
});

const canary = (name: string): Canary => ({
  apiVersion: 'aviary.dev/v1beta1',
  kind: 'Canary',
  metadata: { name, namespace: ns },
  spec: {
    targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
    service: { port: 9898 },
    analysis: { interval: '1m', threshold: 5, maxWeight: 50, stepWeight: 10 },
  },
});

describe('ObjectWriter', () => {
  it('creates an object and returns what the server stored (apiVersion/kind filled in)', async () => {
    const created = await cluster.writer.create(CONFIGMAPS, cm('created', { a: '1' }));
    expect(created).toMatchObject({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'created', namespace: ns, uid: expect.any(String) },
      data: { a: '1' },
    });
    expect(created.metadata?.resourceVersion).toMatch(/^\d+$/);
  });

  it('refuses a taken name with AlreadyExistsError, which is a ConflictError', async () => {
    await cluster.writer.create(CONFIGMAPS, cm('taken'));
    const err = await cluster.writer.create(CONFIGMAPS, cm('taken')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AlreadyExistsError);
    expect(err).toBeInstanceOf(ConflictError);
    expect(err).toMatchObject({ statusCode: 409, reason: 'AlreadyExists' });
  });

  it('replaces with the read resourceVersion, and answers a stale one with ConflictError', async () => {
    const v1 = await cluster.writer.create(CONFIGMAPS, cm('replaced', { v: '1' }));
    const v2 = await cluster.writer.replace(CONFIGMAPS, { ...v1, data: { v: '2' } });
    expect(v2.data).toEqual({ v: '2' });
    expect(v2.metadata?.resourceVersion).not.toBe(v1.metadata?.resourceVersion);
    const stale = await cluster.writer
      .replace(CONFIGMAPS, { ...v1, data: { v: '3' } })
      .catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(ConflictError);
    expect(stale).not.toBeInstanceOf(AlreadyExistsError);
    expect((await cluster.writer.read<ConfigMap>(CONFIGMAPS, ns, 'replaced'))?.data).toEqual({
      v: '2',
    });
  });

  it('will not replace without a resourceVersion (every write is optimistic)', async () => {
    await expect(cluster.writer.replace(CONFIGMAPS, cm('no-version'))).rejects.toThrow(
      /resourceVersion/,
    );
  });

  it('reports NotFoundError when replacing or patching an object that does not exist', async () => {
    const missing = {
      ...cm('missing'),
      metadata: { ...cm('missing').metadata, resourceVersion: '1' },
    };
    await expect(cluster.writer.replace(CONFIGMAPS, missing)).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      cluster.writer.mergePatch(CONFIGMAPS, ns, 'missing', { data: { a: 'b' } }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('merge-patches (null removes a key), optionally guarded by a resourceVersion', async () => {
    const created = await cluster.writer.create(
      CONFIGMAPS,
      cm('patched', { keep: 'k', drop: 'd' }),
    );
    const patched = await cluster.writer.mergePatch<ConfigMap>(CONFIGMAPS, ns, 'patched', {
      data: { drop: null, add: 'a' },
    });
    expect(patched.data).toEqual({ keep: 'k', add: 'a' });
    await expect(
      cluster.writer.mergePatch(
        CONFIGMAPS,
        ns,
        'patched',
        { data: { add: 'b' } },
        { resourceVersion: created.metadata?.resourceVersion },
      ),
    ).rejects.toBeInstanceOf(ConflictError);
    const guarded = await cluster.writer.mergePatch<ConfigMap>(
      CONFIGMAPS,
      ns,
      'patched',
      { data: { add: 'c' } },
      { resourceVersion: patched.metadata?.resourceVersion },
    );
    expect(guarded.data?.add).toBe('c');
  });

  it('deletes: true when it deleted, false when the object was already gone', async () => {
    await cluster.writer.create(CONFIGMAPS, cm('doomed'));
    expect(await cluster.writer.delete(CONFIGMAPS, ns, 'doomed')).toBe(true);
    expect(await cluster.writer.read(CONFIGMAPS, ns, 'doomed')).toBeUndefined();
    expect(await cluster.writer.delete(CONFIGMAPS, ns, 'doomed')).toBe(false);
  });

  it('deletes only the expected object when given its uid', async () => {
    const first = await cluster.writer.create(CONFIGMAPS, cm('reborn'));
    await cluster.writer.delete(CONFIGMAPS, ns, 'reborn');
    await cluster.writer.create(CONFIGMAPS, cm('reborn'));
    await expect(
      cluster.writer.delete(CONFIGMAPS, ns, 'reborn', { uid: first.metadata?.uid }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(await cluster.writer.read(CONFIGMAPS, ns, 'reborn')).toBeDefined();
  });

  it('replaces status through the subresource only, guarded by resourceVersion', async () => {
    const created = await cluster.writer.create(CANARIES, canary('status'));
    const written = await cluster.writer.replaceStatus<Canary>(CANARIES, {
      ...created,
      spec: { ...created.spec, skipAnalysis: true },
      status: { phase: 'Initialized', canaryWeight: 0 },
    });
    expect(written.status).toMatchObject({ phase: 'Initialized', canaryWeight: 0 });
    expect(written.spec.skipAnalysis).toBeUndefined(); // the main resource is untouched
    await expect(
      cluster.writer.replaceStatus<Canary>(CANARIES, { ...created, status: { phase: 'Failed' } }),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(
      cluster.writer.replaceStatus(CANARIES, {
        ...created,
        metadata: { name: 'status', namespace: ns },
      }),
    ).rejects.toThrow(/resourceVersion/);
  });

  it('keeps Secret data out of error messages, even when the server quotes it', async () => {
    // A server that echoes the submitted value in its 422 (the emulator itself redacts).
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        res.writeHead(422, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({ kind: 'Status', reason: 'Invalid', code: 422, message: `bad: ${body}` }),
        );
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = connect({ kubeconfigData: plainKubeconfig(`http://127.0.0.1:${port}`) });
    try {
      const writer = createObjectWriter(client);
      const secretErr = await writer
        .create(SECRETS, { metadata: { name: 's', namespace: 'x' }, data: { pw: 'aHVudGVyMg==' } })
        .catch((e: unknown) => e);
      expect(secretErr).toMatchObject({ statusCode: 422, reason: 'Invalid' });
      expect((secretErr as Error).message).toBe('create Secret x/s: Invalid (422)');
      const cmErr = await writer
        .create(CONFIGMAPS, { metadata: { name: 'c', namespace: 'x' } })
        .catch((e: unknown) => e);
      expect((cmErr as Error).message).toContain('bad: {');
    } finally {
      client.close();
      server.close();
    }
  });

  it('keeps Secret data out of error messages (emulated API server)', async () => {
    const secret = {
      metadata: { name: 'bad-secret', namespace: ns },
      data: { password: 'not*base64*hunter2' },
    };
    const err = await cluster.writer.create(SECRETS, secret).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect((err as KubeApiError).statusCode).toBeGreaterThanOrEqual(400);
    expect(String((err as Error).message)).not.toContain('hunter2');
    expect(String((err as Error).message)).toContain('create Secret');
  });
});

describe('retryOnConflict', () => {
  it('re-reads and retries until the write goes through', async () => {
    const created = await cluster.writer.create(CONFIGMAPS, cm('counter', { n: '0' }));
    // Someone else writes between our read and our write, twice.
    let interference = 2;
    const attempts: number[] = [];
    const result = await retryOnConflict(async attempt => {
      attempts.push(attempt);
      const current =
        attempt === 0 ? created : await cluster.writer.read<ConfigMap>(CONFIGMAPS, ns, 'counter');
      if (!current) throw new Error('gone');
      if (interference-- > 0) {
        await cluster.writer.mergePatch(CONFIGMAPS, ns, 'counter', {
          data: { other: `${interference}` },
        });
      }
      const n = Number(current.data?.n ?? 0) + 1;
      return cluster.writer.replace(CONFIGMAPS, {
        ...current,
        data: { ...current.data, n: `${n}` },
      });
    });
    expect(attempts).toEqual([0, 1, 2]);
    expect(result.data).toEqual({ n: '1', other: '0' });
  });

  it('gives up after the given number of attempts with the last ConflictError', async () => {
    let calls = 0;
    const failing = retryOnConflict(() => {
      calls++;
      return Promise.reject(new ConflictError('stale', 409, 'Conflict'));
    }, 3);
    await expect(failing).rejects.toBeInstanceOf(ConflictError);
    expect(calls).toBe(3);
  });

  it('does not retry other errors', async () => {
    let calls = 0;
    await expect(
      retryOnConflict(() => {
        calls++;
        return Promise.reject(new NotFoundError('gone', 404, 'NotFound'));
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(calls).toBe(1);
  });
});
