import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { canaryKey, type CanaryStreamMessage } from '@aviary/backstage-plugin-canary-common';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { rollout } from '../alerts/__testUtils__/rollouts';
import { captureLogger } from '../alerts/__testUtils__/captureLogger';
import { CanaryAccess } from '../permissions';
import type { CanaryFeed } from '../ingest/types';
import { serveStream } from './stream';

/** A feed the test publishes to, counting its subscribers. */
function testFeed() {
  const listeners = new Set<(message: CanaryStreamMessage) => void>();
  const feed: CanaryFeed & { publish(m: CanaryStreamMessage): void; size(): number } = {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    publish: message => listeners.forEach(l => l(message)),
    size: () => listeners.size,
  };
  return feed;
}

const podinfoEntity = {
  entityRef: 'component:shop/podinfo',
  kind: 'Component',
  namespace: 'shop',
  name: 'podinfo',
};

describe('serveStream', () => {
  let server: Server;
  let url: string;
  let feed: ReturnType<typeof testFeed>;
  const closers: Array<() => void> = [];
  let logger: ReturnType<typeof captureLogger>;
  /** Permission decisions wait for this (to make a connection fall behind). */
  let gate: Promise<void>;

  beforeEach(async () => {
    feed = testFeed();
    logger = captureLogger();
    gate = Promise.resolve();
    const permissions = mockServices.permissions.mock({
      authorize: async requests => {
        await gate;
        return requests.map(r => ({
          result:
            r.resourceRef === podinfoEntity.entityRef
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
        }));
      },
      authorizeConditional: async requests =>
        requests.map(() => ({ result: AuthorizeResult.DENY })),
    });
    const access = new CanaryAccess(permissions, {
      // podinfo belongs to an entity the caller may read; cart to none
      lookup: async ref => (canaryKey(ref) === 'prod:shop/podinfo' ? podinfoEntity : undefined),
    });
    const app = express();
    // As in a stock Backstage backend, whose root router compresses responses.
    app.use(
      MiddlewareFactory.create({
        config: mockServices.rootConfig(),
        logger: mockServices.logger.mock(),
      }).compression(),
    );
    app.get('/stream', (req, res) => {
      closers.push(
        serveStream(
          { feed, access, logger, heartbeatMs: 20, maxPending: 3 },
          mockCredentials.user('user:default/alice'),
          req,
          res,
        ),
      );
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise(resolve => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/stream`;
  });

  afterEach(async () => {
    closers.splice(0).forEach(close => close());
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
  });

  async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, marker: string) {
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes(marker)) {
      const { value, done } = await reader.read();
      if (done) return { text, done: true };
      text += decoder.decode(value, { stream: true });
    }
    return { text, done: false };
  }

  it('sends the rollout messages the caller may read and keeps the line alive', async () => {
    const response = await fetch(url);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(response.headers.get('cache-control')).toBe('no-store, no-transform');
    const reader = response.body!.getReader();
    await readUntil(reader, 'retry:');
    feed.publish({ type: 'rollout', rollout: rollout('Failed', { name: 'cart' }) });
    feed.publish({ type: 'rollout', rollout: rollout('Failed') });
    const { text } = await readUntil(reader, '"outcome":"Failed"');
    const { text: later } = await readUntil(reader, ': keep-alive');
    const events = text.split('\n\n').filter(b => b.startsWith('event:'));
    expect(events).toHaveLength(1);
    expect(events[0]!.split('\n')[0]).toBe('event: rollout');
    expect(JSON.parse(events[0]!.split('\n')[1]!.slice(6))).toMatchObject({
      type: 'rollout',
      rollout: { name: 'podinfo', outcome: 'Failed' },
    });
    expect(later).toContain(': keep-alive');
    await reader.cancel();
  });

  it('is not held back by response compression when the browser accepts gzip', async () => {
    const response = await fetch(url, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(response.headers.get('content-encoding')).toBeNull();
    const reader = response.body!.getReader();
    await readUntil(reader, 'retry:');
    feed.publish({ type: 'rollout', rollout: rollout('Failed') });
    const { text, done } = await readUntil(reader, '"outcome":"Failed"');
    expect(done).toBe(false);
    expect(text).toContain('event: rollout');
    await reader.cancel();
  });

  it('unsubscribes from the feed when the browser goes away', async () => {
    const controller = new AbortController();
    const response = await fetch(url, { signal: controller.signal });
    await readUntil(response.body!.getReader(), 'retry:');
    expect(feed.size()).toBe(1);
    controller.abort();
    for (let i = 0; i < 100 && feed.size() > 0; i++) await new Promise(r => setTimeout(r, 10));
    expect(feed.size()).toBe(0);
  });

  it('ends the response when closed by the server (shutdown)', async () => {
    const response = await fetch(url);
    const reader = response.body!.getReader();
    await readUntil(reader, 'retry:');
    closers[0]!();
    const { done } = await readUntil(reader, 'never');
    expect(done).toBe(true);
    expect(feed.size()).toBe(0);
  });

  it('closes a connection that falls too far behind; the browser reconnects and re-reads', async () => {
    let open!: () => void;
    gate = new Promise(resolve => (open = resolve));
    const response = await fetch(url);
    const reader = response.body!.getReader();
    await readUntil(reader, 'retry:');
    for (let i = 0; i < 5; i++) {
      feed.publish({ type: 'rollout', rollout: rollout('Running', { id: `r-${i}` }) });
    }
    open();
    const { done } = await readUntil(reader, 'never');
    expect(done).toBe(true);
    expect(feed.size()).toBe(0);
    expect(logger.lines.map(l => l.message)).toContain('canary: closing a stream that fell behind');
  });
});
