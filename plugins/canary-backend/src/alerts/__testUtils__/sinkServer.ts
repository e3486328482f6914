// A real local HTTP server standing in for a chat webhook: records what it receives and answers
// with the status codes a test scripts (then 200).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SinkRequest {
  path: string;
  contentType: string | undefined;
  body: unknown;
}

export interface SinkServer {
  url: (path?: string) => string;
  port: number;
  received: SinkRequest[];
  /** Statuses for the next requests, in order; afterwards 200. */
  script: number[];
  /** Resolves when `count` requests have arrived. */
  waitFor(count: number): Promise<void>;
  close(): Promise<void>;
}

export async function startSink(port = 0): Promise<SinkServer> {
  const received: SinkRequest[] = [];
  const script: number[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk as Buffer));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      received.push({
        path: req.url ?? '',
        contentType: req.headers['content-type'],
        body: text ? (JSON.parse(text) as unknown) : undefined,
      });
      res.statusCode = script.shift() ?? 200;
      res.end('ok');
      for (const w of [...waiters]) {
        if (received.length >= w.count) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
    });
  });
  await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve));
  const actualPort = (server.address() as AddressInfo).port;
  return {
    port: actualPort,
    url: (path = '/hook/T0001/B0001/s3cr3tT0k3n') => `http://127.0.0.1:${actualPort}${path}`,
    received,
    script,
    waitFor: count =>
      received.length >= count
        ? Promise.resolve()
        : new Promise(resolve => waiters.push({ count, resolve })),
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port with nothing listening (bound once, then released). */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}
