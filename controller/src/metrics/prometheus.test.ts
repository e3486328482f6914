import { DateTime } from 'luxon';
import { startRecorder, unusedPort } from '../webhooks/__fixtures__/http-recorder.js';
import type { Recorder, Reply } from '../webhooks/__fixtures__/http-recorder.js';
import { MetricsError } from './errors.js';
import { PrometheusClient, parseSampleValue } from './prometheus.js';

const vector = (...values: Array<[Record<string, string>, string]>): Reply => ({
  body: {
    status: 'success',
    data: {
      resultType: 'vector',
      result: values.map(([metric, v]) => ({ metric, value: [1700000000, v] })),
    },
  },
});

let server: Recorder | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(reply: Reply | ((url: string) => Reply)) {
  server = await startRecorder(req => (typeof reply === 'function' ? reply(req.url) : reply));
  return server;
}

async function failure(promise: Promise<unknown>): Promise<MetricsError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof MetricsError) return err;
    throw err;
  }
  throw new Error('expected a MetricsError');
}

describe('Prometheus client', () => {
  it('GETs /api/v1/query under the address path with the collapsed query and the time', async () => {
    const s = await serve(vector([{}, '99.5']));
    const client = new PrometheusClient({ address: `${s.url}/prom/` });
    const time = DateTime.fromISO('2026-01-02T03:04:05.678Z');
    await expect(client.runQuery('sum(\n  rate(x[1m])\n)  ', { time })).resolves.toBe(99.5);
    const url = new URL(s.requests[0]!.url, s.url);
    expect(s.requests[0]!.method).toBe('GET');
    expect(url.pathname).toBe('/prom/api/v1/query');
    expect(url.searchParams.get('query')).toBe('sum( rate(x[1m]) )');
    expect(url.searchParams.get('time')).toBe(String(time.toMillis() / 1000));
  });

  it('sends very long queries as a form POST to the same endpoint', async () => {
    const s = await serve(vector([{}, '1']));
    const query = `sum(${'x + '.repeat(800)}1)`;
    await new PrometheusClient({ address: s.url }).runQuery(query);
    expect(s.requests[0]!.method).toBe('POST');
    expect(new URLSearchParams(s.requests[0]!.body).get('query')).toBe(query);
  });

  it('sends template headers, a bearer token, or basic auth from the Secret data', async () => {
    const s = await serve(vector([{}, '1']));
    await new PrometheusClient({
      address: s.url,
      headers: { 'X-Scope-OrgID': ['tenant-a', 'tenant-b'] },
      credentials: { token: 'sekret-token' },
    }).runQuery('up');
    expect(s.requests[0]!.headers['x-scope-orgid']).toBe('tenant-a, tenant-b');
    expect(s.requests[0]!.headers.authorization).toBe('Bearer sekret-token');
    await new PrometheusClient({
      address: s.url,
      credentials: { username: 'u', password: 'p' },
    }).runQuery('up');
    expect(s.requests[1]!.headers.authorization).toBe(
      `Basic ${Buffer.from('u:p').toString('base64')}`,
    );
  });

  it('requires both username and password when the Secret has no token', () => {
    expect(
      () => new PrometheusClient({ address: 'http://p', credentials: { password: 'x' } }),
    ).toThrow('prometheus credentials does not contain a username');
    expect(
      () => new PrometheusClient({ address: 'http://p', credentials: { username: 'x' } }),
    ).toThrow('prometheus credentials does not contain a password');
  });

  it('rejects an empty or invalid address as a config error without echoing credentials', () => {
    for (const address of ['', 'not a url', 'ftp://host']) {
      expect(() => new PrometheusClient({ address })).toThrow(MetricsError);
    }
    try {
      new PrometheusClient({ address: 'ftp://user:hunter2@host/x' });
    } catch (err) {
      expect((err as MetricsError).kind).toBe('config');
      expect((err as Error).message).not.toContain('hunter2');
    }
  });

  it('vector: the last sample wins; a scalar result is accepted; +Inf passes through', async () => {
    const s = await serve(url =>
      new URL(url, 'http://x').searchParams.get('query') === 'scalar'
        ? { body: { status: 'success', data: { resultType: 'scalar', result: [1, '42'] } } }
        : vector([{ a: '1' }, '1'], [{ a: '2' }, '+Inf']),
    );
    const client = new PrometheusClient({ address: s.url });
    await expect(client.runQuery('scalar')).resolves.toBe(42);
    await expect(client.runQuery('many')).resolves.toBe(Number.POSITIVE_INFINITY);
    await expect(client.instantQuery('many')).resolves.toEqual({
      resultType: 'vector',
      samples: [
        { metric: { a: '1' }, value: 1 },
        { metric: { a: '2' }, value: Number.POSITIVE_INFINITY },
      ],
    });
  });

  it('no data: an empty vector or NaN is "no values found"', async () => {
    const s = await serve(url => (url.includes('empty') ? vector() : vector([{}, 'NaN'])));
    const client = new PrometheusClient({ address: s.url });
    for (const query of ['empty', 'nan']) {
      const err = await failure(client.runQuery(query));
      expect(err.kind).toBe('no-data');
      expect(err.message).toBe('no values found');
    }
  });

  it('bad query: Prometheus 400/422 errors and range results', async () => {
    const s = await serve(url => {
      if (url.includes('range')) {
        return {
          body: {
            status: 'success',
            data: { resultType: 'matrix', result: [{ metric: {}, values: [] }] },
          },
        };
      }
      return {
        status: url.includes('exec') ? 422 : 400,
        body: { status: 'error', errorType: 'bad_data', error: 'parse error at char 5' },
      };
    });
    const client = new PrometheusClient({ address: s.url });
    const parse = await failure(client.runQuery('sum(('));
    expect([parse.kind, parse.status, parse.message]).toEqual([
      'bad-query',
      400,
      'bad_data: parse error at char 5',
    ]);
    expect((await failure(client.runQuery('exec'))).kind).toBe('bad-query');
    const range = await failure(client.runQuery('range'));
    expect([range.kind, range.message]).toEqual(['bad-query', 'query returned multiple values']);
  });

  it('HTTP error: other statuses carry the status and body, with secrets masked', async () => {
    const s = await serve({ status: 503, body: 'overloaded, token sekret-token rejected' });
    const client = new PrometheusClient({ address: s.url, credentials: { token: 'sekret-token' } });
    const err = await failure(client.runQuery('up'));
    expect(err.kind).toBe('http');
    expect(err.status).toBe(503);
    expect(err.message).toBe(
      'error response: Status 503 Service Unavailable: overloaded, token *** rejected',
    );
  });

  it('bad response: a body that is not Prometheus JSON', async () => {
    const s = await serve({ status: 200, body: '<html>login</html>' });
    const err = await failure(new PrometheusClient({ address: s.url }).runQuery('up'));
    expect(err.kind).toBe('bad-response');
    expect(err.message).toContain('error unmarshaling result');
  });

  it('unreachable: connection refused and timeouts', async () => {
    const port = await unusedPort();
    const refused = await failure(
      new PrometheusClient({ address: `http://127.0.0.1:${port}` }).runQuery('up'),
    );
    expect(refused.kind).toBe('unreachable');
    expect(refused.message).toContain('ECONNREFUSED');
    const s = await serve({ delayMs: 2000, ...vector([{}, '1']) });
    const slow = await failure(
      new PrometheusClient({ address: s.url, timeoutMs: 100 }).runQuery('up'),
    );
    expect([slow.kind, slow.message]).toEqual([
      'unreachable',
      `prometheus http://${new URL(s.url).host}/*** timed out after 100ms`,
    ]);
  });

  it('U18 isOnline: a good server answers vector(1) with 1, anything else is an error', async () => {
    const s = await serve(url => (url.includes('vector') ? vector([{}, '1']) : vector()));
    await expect(new PrometheusClient({ address: s.url }).isOnline()).resolves.toBeUndefined();
    await server?.close();
    server = await startRecorder(() => vector([{}, '0']));
    const err = await failure(new PrometheusClient({ address: server.url }).isOnline());
    expect(err.message).toBe('value is not 1 for query: vector(1)');
  });

  it('parses Prometheus sample strings', () => {
    expect(parseSampleValue('1.5e3')).toBe(1500);
    expect(parseSampleValue('-Inf')).toBe(Number.NEGATIVE_INFINITY);
    expect(parseSampleValue('NaN')).toBeNaN();
    expect(() => parseSampleValue('abc')).toThrow(MetricsError);
  });
});
