import { startDemoApp, versionOfImage } from '../../src/demo-app/app.js';
import type { DemoApp, Faults } from '../../src/demo-app/app.js';

let app: DemoApp;
let faults: Faults = { errorRatio: 0, latencyMs: 0 };
beforeAll(async () => {
  app = await startDemoApp({ version: '6.0.1', hostname: 'podinfo-6.0.1', faults: () => faults });
});
afterAll(() => app.stop());
beforeEach(() => {
  faults = { errorRatio: 0, latencyMs: 0 };
});

async function get(path: string) {
  const res = await fetch(`${app.url}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

it('reads the version from the image tag', () => {
  expect(versionOfImage('ghcr.io/stefanprodan/podinfo:6.0.1')).toBe('6.0.1');
  expect(versionOfImage('localhost:5000/podinfo:1.2@sha256:abc')).toBe('1.2');
  expect(versionOfImage('localhost:5000/podinfo')).toBe('latest');
});

it('serves version, status codes, delays and health', async () => {
  expect(await get('/')).toEqual({
    status: 200,
    body: expect.objectContaining({ version: '6.0.1', hostname: 'podinfo-6.0.1' }) as unknown,
  });
  expect((await get('/version')).body.version).toBe('6.0.1');
  expect(await get('/status/503')).toEqual({ status: 503, body: { status: 503 } });
  expect((await get('/status/999')).status).toBe(400);
  expect(await get('/delay/0.05')).toEqual({ status: 200, body: { delay: 0.05 } });
  expect(await get('/healthz')).toEqual({ status: 200, body: { status: 'OK' } });
  expect((await get('/readyz')).status).toBe(200);
  expect((await get('/nope')).status).toBe(404);
});

it('fails the injected share of requests, never the health checks', async () => {
  faults = { errorRatio: 1, latencyMs: 0 };
  expect((await get('/')).status).toBe(500);
  expect((await get('/healthz')).status).toBe(200);
  faults = { errorRatio: 0.5, latencyMs: 0 };
  const codes = await Promise.all(Array.from({ length: 200 }, () => get('/').then(r => r.status)));
  const failed = codes.filter(c => c === 500).length;
  expect(failed).toBeGreaterThan(50);
  expect(failed).toBeLessThan(150);
});

it('adds injected latency', async () => {
  faults = { errorRatio: 0, latencyMs: 300 };
  const started = performance.now();
  await get('/');
  expect(performance.now() - started).toBeGreaterThanOrEqual(290);
});
