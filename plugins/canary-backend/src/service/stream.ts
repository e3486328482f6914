// GET /stream: the live feed as server-sent events, cut down to the canaries the caller may read.
// Decisions are remembered per connection for a short while so a busy feed does not ask the
// permission framework once per message; messages are written in feed order.
import type { BackstageCredentials, LoggerService } from '@backstage/backend-plugin-api';
import type { Request, Response } from 'express';
import { canaryKey, type CanaryStreamMessage } from '@aviary/backstage-plugin-canary-common';
import type { CanaryFeed } from '../ingest/types';
import type { CanaryAccess } from '../permissions';

export interface StreamOptions {
  feed: CanaryFeed;
  access: CanaryAccess;
  logger: LoggerService;
  heartbeatMs?: number;
  decisionTtlMs?: number;
  /** A connection that falls this far behind is closed; the browser reconnects and re-reads. */
  maxPending?: number;
}

export function serveStream(
  options: StreamOptions,
  credentials: BackstageCredentials,
  req: Request,
  res: Response,
): () => void {
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const decisionTtlMs = options.decisionTtlMs ?? 60_000;
  const maxPending = options.maxPending ?? 1000;
  const decisions = new Map<string, { at: number; allowed: boolean }>();

  res.status(200);
  res.set({
    'Content-Type': 'text/event-stream',
    // no-transform keeps Backstage's compression middleware from buffering the stream until it ends.
    'Cache-Control': 'no-store, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  res.write('retry: 3000\n\n');

  let closed = false;
  let pending = 0;
  let chain: Promise<void> = Promise.resolve();

  const readable = async (key: string, ref: CanaryStreamMessage) => {
    const known = decisions.get(key);
    if (known && Date.now() - known.at < decisionTtlMs) return known.allowed;
    const canaryRef = ref.type === 'canary' ? ref.canary : ref.rollout;
    const allowed = await options.access.assertRead(credentials, canaryRef).then(
      () => true,
      () => false,
    );
    decisions.set(key, { at: Date.now(), allowed });
    return allowed;
  };

  const unsubscribe = options.feed.subscribe(message => {
    if (closed) return;
    if (++pending > maxPending) {
      options.logger.warn('canary: closing a stream that fell behind');
      close();
      return;
    }
    chain = chain.then(async () => {
      pending--;
      if (closed) return;
      const key = canaryKey(message.type === 'canary' ? message.canary : message.rollout);
      if (!(await readable(key, message)) || closed) return;
      res.write(`event: ${message.type}\ndata: ${JSON.stringify(message)}\n\n`);
    });
  });

  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), heartbeatMs);
  heartbeat.unref?.();

  function close() {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    unsubscribe();
    res.end();
  }
  req.on('close', close);
  res.on('close', close);
  return close;
}
