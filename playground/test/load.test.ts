import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startLoad } from '../src/load/load.js';

it('sends about the configured rate per host, with the segment headers on a share', async () => {
  const seen: Array<{ host?: string; segment: boolean; path?: string }> = [];
  const server = http.createServer((req, res) => {
    seen.push({
      host: req.headers.host,
      segment: req.headers['x-canary'] === 'insider',
      path: req.url,
    });
    res.end('ok');
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const load = startLoad({
    port,
    tickMs: 50,
    targets: [
      { host: 'a.demo', rps: 40, paths: ['/', '/version'] },
      { host: 'b.demo', rps: 20, segment: { share: 0.5, headers: { 'x-canary': 'insider' } } },
    ],
  });
  // poll until 40 requests to b.demo arrived (~2 s), then compare with a.demo
  const deadline = Date.now() + 10_000;
  while (seen.filter(s => s.host === 'b.demo').length < 40 && Date.now() < deadline) {
    await new Promise(r => setTimeout(r, 20));
  }
  load.stop();
  await new Promise<void>(r => server.close(() => r()));
  const a = seen.filter(s => s.host === 'a.demo');
  const b = seen.filter(s => s.host === 'b.demo');
  expect(a.length / b.length).toBeGreaterThan(1.6);
  expect(a.length / b.length).toBeLessThan(2.4);
  expect(new Set(a.map(s => s.path))).toEqual(new Set(['/', '/version']));
  expect(a.some(s => s.segment)).toBe(false);
  const share = b.filter(s => s.segment).length / b.length;
  expect(share).toBeGreaterThan(0.2);
  expect(share).toBeLessThan(0.8);
  expect(load.stats().sent).toBeGreaterThanOrEqual(a.length + b.length);
});
