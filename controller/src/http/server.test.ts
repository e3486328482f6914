import { startProbeServer, type ProbeServer, type Readiness } from './server.js';

describe('probe server', () => {
  let server: ProbeServer;
  let readiness: Readiness = { synced: false, role: 'follower' };

  beforeAll(async () => {
    server = await startProbeServer({
      port: 0,
      host: '127.0.0.1',
      metrics: async () => ({ contentType: 'text/plain; version=0.0.4', body: 'aviary_info 1\n' }),
      readiness: () => readiness,
    });
  });
  afterAll(() => server.close());

  const get = (path: string) => fetch(`http://127.0.0.1:${server.port}${path}`);

  it('/healthz answers while the process lives', async () => {
    expect((await get('/healthz')).status).toBe(200);
  });

  it('/readyz is 503 until the caches are synced; a follower is ready and says so', async () => {
    const before = await get('/readyz');
    expect(before.status).toBe(503);
    readiness = { synced: true, role: 'follower' };
    const after = await get('/readyz');
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({ ready: true, role: 'follower' });
  });

  it('/metrics serves the exposition; unknown paths are 404', async () => {
    const metrics = await get('/metrics');
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(await metrics.text()).toBe('aviary_info 1\n');
    expect((await get('/nope')).status).toBe(404);
  });
});
