/**
 * Bad requests over raw HTTPS: every one gets a Kubernetes `Status` with the right code and
 * reason (401, 400, 404, 405, 409, 413, 415, 422), nothing half-written reaches storage, and the
 * server keeps serving afterwards, on fresh and on reused keep-alive connections.
 */
import { Agent, request } from 'node:https';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { startKubeEmulator } from '../../src/index.js';
import type { KubeEmulator } from '../../src/index.js';
import type { RawResponse } from '../support/kube-client.js';
import { eventually, raw, rawWatch } from '../support/kube-client.js';

let emulator: KubeEmulator;
const CM = '/api/v1/namespaces/errs/configmaps';

beforeAll(async () => {
  emulator = await startKubeEmulator({ rolloutDelayMs: 20 });
  await raw(emulator, 'POST', '/api/v1/namespaces', { body: { metadata: { name: 'errs' } } });
  await raw(emulator, 'POST', CM, { body: { metadata: { name: 'existing' }, data: { k: 'v' } } });
});
afterAll(() => emulator.stop());

// After every test the server still answers, and holds what it held.
let storedBefore = 0;
beforeEach(() => {
  storedBefore = emulator.objectCount();
});
afterEach(async () => {
  const res = await raw(emulator, 'GET', `${CM}/existing`);
  expect(res.status).toBe(200);
  expect(res.json.data).toEqual({ k: 'v' });
  expect(emulator.objectCount()).toBe(storedBefore);
});

const status = (code: number, reason: string, message: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason,
  code,
});

function expectStatus(res: RawResponse, code: number, reason: string, message?: string | RegExp) {
  expect(res.status).toBe(code);
  expect(res.headers['content-type']).toBe('application/json');
  expect(res.json).toMatchObject({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    code,
    reason,
  });
  if (typeof message === 'string') expect(res.json.message).toBe(message);
  else if (message) expect(res.json.message).toMatch(message);
}

describe('authentication', () => {
  it.each<[string, Record<string, string>, string | null]>([
    ['no Authorization header', {}, null],
    ['a wrong bearer token', {}, 'not-the-token'],
    ['an empty bearer token', {}, ''],
    ['another auth scheme', { authorization: 'Basic YWRtaW46YWRtaW4=' }, null],
  ])('answers 401 Unauthorized for %s', async (_what, headers, token) => {
    for (const path of [CM, `${CM}/existing`, '/api', '/apis', '/openapi/v3', `${CM}?watch=1`]) {
      const res = await raw(emulator, 'GET', path, { token, headers });
      expect(res.status).toBe(401);
      expect(res.json).toEqual(status(401, 'Unauthorized', 'Unauthorized'));
    }
    const write = await raw(emulator, 'POST', CM, {
      token,
      headers,
      body: { metadata: { name: 'sneaky' } },
    });
    expect(write.status).toBe(401);
  });

  it('serves health and version endpoints without credentials', async () => {
    for (const path of ['/healthz', '/livez', '/readyz']) {
      const res = await raw(emulator, 'GET', path, { token: null });
      expect([res.status, res.text]).toEqual([200, 'ok']);
    }
    const version = await raw(emulator, 'GET', '/version', { token: null });
    expect(version.status).toBe(200);
    expect(version.json).toMatchObject({ major: '1', minor: '32' });
  });
});

describe('request bodies', () => {
  it('answers 400 for bodies that are not JSON objects', async () => {
    expectStatus(
      await raw(emulator, 'POST', CM, { body: '{"metadata": {"name": ' }),
      400,
      'BadRequest',
      /^the request body could not be decoded: /,
    );
    expectStatus(
      await raw(emulator, 'POST', CM, { body: Buffer.from([0x00, 0xff, 0xfe, 0x7b]) }),
      400,
      'BadRequest',
      /^the request body could not be decoded: /,
    );
    for (const body of ['', '[]', 'null', '"configmap"', '42', 'true']) {
      expectStatus(
        await raw(emulator, 'POST', CM, { body }),
        400,
        'BadRequest',
        'the request body must be a JSON object',
      );
    }
    expectStatus(
      await raw(emulator, 'PUT', `${CM}/existing`, { body: '[1,2]' }),
      400,
      'BadRequest',
      'the request body must be a JSON object',
    );
  });

  it('answers 400 when the body contradicts the URL', async () => {
    expectStatus(
      await raw(emulator, 'POST', CM, {
        body: { apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name: 'x' } },
      }),
      400,
      'BadRequest',
      'the API version in the data (apps/v1) does not match the expected API version (v1)',
    );
    expectStatus(
      await raw(emulator, 'POST', CM, {
        body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } },
      }),
      400,
      'BadRequest',
      'the kind in the data (Secret) does not match the expected kind (ConfigMap)',
    );
    expectStatus(
      await raw(emulator, 'POST', CM, { body: { metadata: { name: 'x', namespace: 'default' } } }),
      400,
      'BadRequest',
      'the namespace of the provided object does not match the namespace sent on the request',
    );
    expectStatus(
      await raw(emulator, 'PUT', `${CM}/existing`, { body: { metadata: { name: 'other' } } }),
      400,
      'BadRequest',
      'the name of the object (other) does not match the name on the URL (existing)',
    );
    expectStatus(
      await raw(emulator, 'POST', CM, { body: { metadata: 'x' } }),
      400,
      'BadRequest',
      'metadata must be an object',
    );
  });

  it.each<[string, unknown, string]>([
    [
      'a numeric name',
      { name: 123 },
      'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.name of type string',
    ],
    [
      'a numeric generateName',
      { generateName: 5 },
      'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.generateName of type string',
    ],
    [
      'labels that are a string',
      { name: 'l', labels: 'app=web' },
      'json: cannot unmarshal string into Go struct field ObjectMeta.metadata.labels of type map[string]string',
    ],
    [
      'a numeric label value',
      { name: 'l', labels: { a: 1 } },
      'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string',
    ],
    [
      'annotations that are a list',
      { name: 'a', annotations: ['x'] },
      'json: cannot unmarshal array into Go struct field ObjectMeta.metadata.annotations of type map[string]string',
    ],
    [
      'finalizers that are a string',
      { name: 'f', finalizers: 'x' },
      'json: cannot unmarshal string into Go struct field ObjectMeta.metadata.finalizers of type []string',
    ],
    [
      'a null owner reference',
      { name: 'o', ownerReferences: [null] },
      'json: cannot unmarshal null into Go struct field ObjectMeta.metadata.ownerReferences of type v1.OwnerReference',
    ],
    [
      'a numeric owner uid',
      { name: 'o', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'x', uid: 5 }] },
      'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.ownerReferences.uid of type string',
    ],
  ])('answers 400 for metadata with %s, storing nothing', async (_what, metadata, detail) => {
    const rvBefore = emulator.resourceVersion();
    const res = await raw(emulator, 'POST', CM, { body: { metadata } });
    expectStatus(
      res,
      400,
      'BadRequest',
      `ConfigMap in version "v1" cannot be handled as a ConfigMap: ${detail}`,
    );
    expect(emulator.resourceVersion()).toBe(rvBefore);
  });

  it('answers 400 for a patch that would make metadata mistyped', async () => {
    const res = await raw(emulator, 'PATCH', `${CM}/existing`, {
      body: { metadata: { labels: { n: 7 } } },
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    expectStatus(
      res,
      400,
      'BadRequest',
      /cannot unmarshal number into Go struct field ObjectMeta\.metadata\.labels of type string$/,
    );
  });

  it('answers 422 for incomplete owner references', async () => {
    const res = await raw(emulator, 'POST', CM, {
      body: { metadata: { name: 'orphan', ownerReferences: [{ kind: 'ConfigMap' }] } },
    });
    expectStatus(res, 422, 'Invalid');
    expect(res.json.details.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'metadata.ownerReferences.apiVersion',
        message: 'Invalid value: "": version must not be empty',
      },
      {
        reason: 'FieldValueInvalid',
        field: 'metadata.ownerReferences.name',
        message: 'Invalid value: "": name must not be empty',
      },
      {
        reason: 'FieldValueInvalid',
        field: 'metadata.ownerReferences.uid',
        message: 'Invalid value: "": uid must not be empty',
      },
    ]);
  });

  it('answers 413 for a body over 3 MiB', async () => {
    const huge = Buffer.alloc(4 * 1024 * 1024, 0x61);
    expectStatus(
      await raw(emulator, 'POST', CM, { body: huge }),
      413,
      'RequestEntityTooLarge',
      'Request entity too large: limit is 3145728',
    );
    const bigValue = JSON.stringify({
      metadata: { name: 'big' },
      data: { k: 'x'.repeat(3.5 * 1024 * 1024) },
    });
    expectStatus(await raw(emulator, 'POST', CM, { body: bigValue }), 413, 'RequestEntityTooLarge');
  });

  it('accepts YAML bodies and refuses broken YAML, protobuf and unknown patch types', async () => {
    const yaml = await raw(emulator, 'POST', CM, {
      body: 'metadata:\n  name: from-yaml\ndata:\n  k: v\n',
      headers: { 'content-type': 'application/yaml' },
    });
    expect(yaml.status).toBe(201);
    expect(yaml.json.metadata.name).toBe('from-yaml');
    await raw(emulator, 'DELETE', `${CM}/from-yaml`);

    expectStatus(
      await raw(emulator, 'POST', CM, {
        body: 'metadata: [unclosed',
        headers: { 'content-type': 'application/yaml' },
      }),
      400,
      'BadRequest',
      /^the request body could not be decoded: /,
    );
    expectStatus(
      await raw(emulator, 'POST', CM, {
        body: Buffer.from([0x6b, 0x38, 0x73, 0x00]),
        headers: { 'content-type': 'application/vnd.kubernetes.protobuf' },
      }),
      415,
      'UnsupportedMediaType',
    );
    for (const type of ['text/plain', 'application/json', 'application/apply-patch+yaml']) {
      expectStatus(
        await raw(emulator, 'PATCH', `${CM}/existing`, {
          body: '{"data":{"k":"changed"}}',
          headers: { 'content-type': type },
        }),
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (got ${type})`,
      );
    }
  });

  it('rejects malformed patches without touching the object', async () => {
    const patch = (type: string, body: string) =>
      raw(emulator, 'PATCH', `${CM}/existing`, {
        body,
        headers: { 'content-type': `application/${type}+json` },
      });
    expectStatus(
      await patch('merge-patch', '[1]'),
      400,
      'BadRequest',
      'a merge patch must be a JSON object',
    );
    expectStatus(
      await patch('strategic-merge-patch', '"x"'),
      400,
      'BadRequest',
      'a merge patch must be a JSON object',
    );
    expectStatus(
      await patch('merge-patch', '{"data":'),
      400,
      'BadRequest',
      /^the request body could not be decoded: /,
    );
    expectStatus(
      await patch('json-patch', '{"op":"add"}'),
      422,
      'Invalid',
      'the server rejected our request due to an error in our request: a JSON patch must be an array of operations',
    );
    expectStatus(
      await patch('json-patch', '[{"op":"add","path":"/data/nested/deep","value":1}]'),
      422,
      'Invalid',
      'the server rejected our request due to an error in our request: jsonpatch add operation does not apply: doc is missing path: "/data/nested/deep"',
    );
    expectStatus(
      await patch('json-patch', '[{"op":"frobnicate","path":"/data"}]'),
      422,
      'Invalid',
      'the server rejected our request due to an error in our request: unexpected JSON patch operation "frobnicate"',
    );
    expectStatus(
      await patch('json-patch', '[{"op":"replace","path":"/data/missing","value":"x"}]'),
      422,
      'Invalid',
      /doc is missing key: "\/data\/missing"$/,
    );
    expectStatus(
      await patch(
        'json-patch',
        '[{"op":"replace","path":"/metadata/resourceVersion","value":"1"}]',
      ),
      409,
      'Conflict',
    );
  });
});

describe('paths, methods and query parameters', () => {
  it.each([
    '/api/v2',
    '/api/v1/pods/x',
    '/api/v1/configmaps/x',
    '/api/v1/widgets',
    '/apis/nope.example.dev/v1/things',
    '/apis/apps/v9/deployments',
    '/apis/nope.example.dev',
    '/apis/apiextensions.k8s.io/v1/namespaces/errs/customresourcedefinitions',
    `${CM}/existing/status`,
    `${CM}/existing/bogus`,
    `${CM}/existing/a/b`,
    '/apis/apps/v1/namespaces/errs/deployments/d/scale/extra',
    '/metrics',
    '/openapi/v3/apis/nope/v1',
    '/',
  ])('answers 404 for %s', async path => {
    const res = await raw(emulator, 'GET', path);
    expect(res.status).toBe(404);
    expect(res.json).toEqual(
      status(404, 'NotFound', 'the server could not find the requested resource'),
    );
  });

  it('answers 400 for a path with broken percent-encoding', async () => {
    expectStatus(
      await raw(emulator, 'GET', '/api/v1/namespaces/%E0%A4%A/configmaps'),
      400,
      'BadRequest',
    );
  });

  it.each([
    ['POST', `${CM}/existing`],
    ['PUT', CM],
    ['PATCH', CM],
    ['POST', '/api'],
    ['DELETE', '/apis'],
    ['OPTIONS', `${CM}/existing`],
    ['DELETE', '/api/v1/namespaces/errs/status'],
    ['POST', '/api/v1/namespaces/errs/finalize'],
  ])('answers 405 for %s %s', async (method, path) => {
    expectStatus(
      await raw(emulator, method, path, { body: '{}' }),
      405,
      'MethodNotAllowed',
      `the server does not allow this method on the requested resource (${method})`,
    );
  });

  it('never deletes an object through its status or scale subresource', async () => {
    const deployment = {
      metadata: { name: 'keep' },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'keep' } },
        template: {
          metadata: { labels: { app: 'keep' } },
          spec: { containers: [{ name: 'c', image: 'i' }] },
        },
      },
    };
    const path = '/apis/apps/v1/namespaces/errs/deployments';
    expect((await raw(emulator, 'POST', path, { body: deployment })).status).toBe(201);
    for (const sub of ['status', 'scale']) {
      expectStatus(
        await raw(emulator, 'DELETE', `${path}/keep/${sub}`),
        405,
        'MethodNotAllowed',
        'the server does not allow this method on the requested resource (DELETE)',
      );
    }
    expect((await raw(emulator, 'GET', `${path}/keep`)).status).toBe(200);
    // Its ReplicaSet goes with it; wait for the collector so the object count settles.
    await raw(emulator, 'DELETE', `${path}/keep`);
    await eventually(
      async () =>
        (await raw(emulator, 'GET', '/apis/apps/v1/namespaces/errs/replicasets')).json.items
          .length === 0,
    );
  });

  it.each([
    ['labelSelector', 'app in (web'],
    ['labelSelector', 'app in web)'],
    ['labelSelector', 'bad key!=x'],
    ['labelSelector', '-leading=dash'],
    ['labelSelector', 'app===web'],
    ['labelSelector', 'app in (web,-bad-)'],
    ['fieldSelector', 'metadata.name'],
    ['fieldSelector', '=x'],
  ])('answers 400 for %s=%s on list and watch', async (param, value) => {
    const q = `${param}=${encodeURIComponent(value)}`;
    const list = await raw(emulator, 'GET', `${CM}?${q}`);
    expectStatus(list, 400, 'BadRequest');
    if (param === 'labelSelector')
      expect(list.json.message).toMatch(/^unable to parse requirement: /);
    expectStatus(await raw(emulator, 'GET', `${CM}?watch=1&${q}`), 400, 'BadRequest');
    expectStatus(await raw(emulator, 'DELETE', `${CM}?${q}`), 400, 'BadRequest');
  });

  it.each([
    'garbage',
    '%25%25',
    Buffer.from('not json').toString('base64url'),
    Buffer.from('{"rv":"x"}').toString('base64url'),
  ])('answers 400 for the continue token %s', async token => {
    expectStatus(
      await raw(emulator, 'GET', `${CM}?limit=1&continue=${token}`),
      400,
      'BadRequest',
      /^continue key is not valid/,
    );
  });

  it('answers 400 for invalid resourceVersions, propagation policies and fieldValidation values', async () => {
    for (const rv of ['abc', '-5', '1.5']) {
      expectStatus(
        await raw(emulator, 'GET', `${CM}?watch=1&resourceVersion=${rv}`),
        400,
        'BadRequest',
        `invalid resource version: "${rv}"`,
      );
    }
    expectStatus(
      await raw(emulator, 'DELETE', `${CM}/existing?propagationPolicy=Sideways`),
      400,
      'BadRequest',
      'propagationPolicy: Unsupported value: "Sideways": supported values: "Background", "Foreground", "Orphan"',
    );
    expectStatus(
      await raw(emulator, 'DELETE', `${CM}/existing`, { body: { propagationPolicy: 'Upwards' } }),
      400,
      'BadRequest',
      /^propagationPolicy: Unsupported value: "Upwards"/,
    );
    expectStatus(
      await raw(emulator, 'POST', `${CM}?fieldValidation=Loud`, {
        body: { metadata: { name: 'fv' } },
      }),
      400,
      'BadRequest',
    );
    expectStatus(
      await raw(emulator, 'DELETE', `${CM}/existing`, { body: '{not json' }),
      400,
      'BadRequest',
    );
  });

  it('answers 410 on a watch from a compacted resourceVersion, then serves a fresh watch', async () => {
    const before = emulator.resourceVersion();
    await raw(emulator, 'PUT', `${CM}/existing`, {
      body: { metadata: { name: 'existing' }, data: { k: 'v', tmp: '1' } },
    });
    await raw(emulator, 'PUT', `${CM}/existing`, {
      body: { metadata: { name: 'existing' }, data: { k: 'v' } },
    });
    emulator.compactHistory();
    const w = await rawWatch(emulator, `${CM}?watch=1&resourceVersion=${before}`);
    await w.ended;
    expect(w.events).toHaveLength(1);
    expect(w.events[0]?.type).toBe('ERROR');
    expect(w.events[0]?.object).toEqual(
      status(410, 'Expired', `too old resource version: ${before} (${emulator.resourceVersion()})`),
    );
    const list = await raw(emulator, 'GET', CM);
    const fresh = await rawWatch(
      emulator,
      `${CM}?watch=1&resourceVersion=${list.json.metadata.resourceVersion}`,
    );
    try {
      await raw(emulator, 'PATCH', `${CM}/existing`, {
        body: { metadata: { annotations: { seen: 'yes' } } },
        headers: { 'content-type': 'application/merge-patch+json' },
      });
      const e = await fresh.next(x => x.type === 'MODIFIED');
      expect(e.object.metadata.annotations).toEqual({ seen: 'yes' });
    } finally {
      fresh.close();
    }
  });
});

describe('the server keeps serving', () => {
  it('reuses a keep-alive connection after bad requests that carried bodies', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: emulator.caPem });
    const send = (method: string, path: string, body?: string, type = 'application/json') =>
      new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
        const req = request(
          `${emulator.url}${path}`,
          {
            method,
            agent,
            headers: {
              authorization: `Bearer ${emulator.token}`,
              'content-type': type,
              ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
            },
          },
          res => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    try {
      const sequence: Array<[string, string, string | undefined, string | undefined, number]> = [
        ['GET', `${CM}/existing`, undefined, undefined, 200],
        ['PATCH', `${CM}/existing`, '{"data":{"k":"x"}}', 'text/plain', 415],
        ['GET', `${CM}/existing`, undefined, undefined, 200],
        ['POST', '/nowhere', '{"a":1}', undefined, 405],
        ['GET', `${CM}/existing`, undefined, undefined, 200],
        ['POST', '/apis/nope/v1/things', '{"metadata":{"name":"x"}}', undefined, 404],
        ['GET', `${CM}/existing`, undefined, undefined, 200],
        ['POST', CM, '{broken', undefined, 400],
        ['GET', `${CM}/existing`, undefined, undefined, 200],
        ['POST', CM, '{"metadata":{"name":"Bad Name"}}', undefined, 422],
        ['GET', `${CM}/existing`, undefined, undefined, 200],
      ];
      const results = [];
      for (const [method, path, body, type, _expected] of sequence)
        results.push(await send(method, path, body, type));
      expect(results.map(r => r.status)).toEqual(sequence.map(s => s[4]));
      expect(results.slice(1).every(r => r.reused)).toBe(true);
    } finally {
      agent.destroy();
    }
  });

  it('answers garbage over TLS with a 400 Status and survives plaintext on the TLS port', async () => {
    const garbage = await new Promise<string>((resolve, reject) => {
      const socket = tlsConnect(
        {
          host: '127.0.0.1',
          port: emulator.port,
          ca: emulator.caPem,
          servername: 'localhost',
          rejectUnauthorized: false,
        },
        () => socket.write('NOT HTTP AT ALL\r\n\r\n'),
      );
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(garbage).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    const body = JSON.parse(garbage.slice(garbage.indexOf('\r\n\r\n') + 4)) as {
      kind: string;
      code: number;
      reason: string;
    };
    expect(body).toMatchObject({ kind: 'Status', code: 400, reason: 'BadRequest' });

    const plaintext = await new Promise<string>(resolve => {
      const socket = netConnect(emulator.port, '127.0.0.1', () =>
        socket.write('GET /api HTTP/1.1\r\nHost: x\r\n\r\n'),
      );
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
      socket.on('close', () => resolve(text));
      socket.on('error', () => resolve(text));
    });
    expect(plaintext).not.toContain('"kind":"APIVersions"');
  });

  it('answers a burst of concurrent bad requests, each with its own Status', async () => {
    const bad: Array<[string, string, string | undefined, number]> = [
      ['POST', CM, '{', 400],
      ['GET', '/apis/none/v1/x', undefined, 404],
      ['GET', `${CM}?labelSelector=${encodeURIComponent('a in (')}`, undefined, 400],
      ['PUT', `${CM}/missing`, '{"metadata":{"name":"missing"}}', 404],
      ['POST', CM, '{"metadata":{"name":"existing"}}', 409],
      ['POST', CM, '{"metadata":{"labels":{"a":false},"name":"q"}}', 400],
      ['DELETE', `${CM}/missing`, undefined, 404],
    ];
    const results = await Promise.all(
      Array.from({ length: 140 }, (_, i) => {
        const [method, path, body, code] = bad[i % bad.length] as [
          string,
          string,
          string | undefined,
          number,
        ];
        return raw(emulator, method, path, { body }).then(r => [r.status, r.json?.kind, code]);
      }),
    );
    for (const [got, kind, expected] of results) {
      expect(got).toBe(expected);
      expect(kind).toBe('Status');
    }
  });
});
