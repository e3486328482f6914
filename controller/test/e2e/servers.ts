// Local HTTP servers the controller really calls in the e2e tests: a load-tester-like webhook
// server (gates keyed by canary, as flagger-loadtester's) and a Slack-compatible alert sink.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HookCall {
  path: string;
  body: {
    name?: string;
    namespace?: string;
    phase?: string;
    checksum?: string;
    metadata?: Record<string, string>;
  };
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise(resolve => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function close(server: http.Server): Promise<void> {
  return new Promise(resolve => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/**
 * `/gate/approve` 200, `/gate/halt` 403, `/gate/check` open or closed per canary (`/gate/open`,
 * `/gate/close`), `/rollback/check` likewise, anything else 200 (a load test / rollout hook).
 */
export class HookServer {
  readonly calls: HookCall[] = [];
  private readonly gates = new Set<string>();
  private readonly rollbacks = new Set<string>();

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(): Promise<HookServer> {
    const ref: { hooks?: HookServer } = {};
    const server = http.createServer((req, res) => {
      void readBody(req).then(text => ref.hooks?.handle(req.url ?? '/', text, res));
    });
    ref.hooks = new HookServer(server, await listen(server));
    return ref.hooks;
  }

  private handle(path: string, text: string, res: http.ServerResponse): void {
    let body: HookCall['body'] = {};
    try {
      body = JSON.parse(text) as HookCall['body'];
    } catch {
      // recorded with an empty body
    }
    this.calls.push({ path, body });
    const key = `${body.namespace}/${body.name}`;
    const answer = (status: number, text: string): void => {
      res.writeHead(status).end(text);
    };
    switch (path) {
      case '/gate/approve':
        return answer(200, 'Approved');
      case '/gate/halt':
        return answer(403, 'Forbidden');
      case '/gate/check':
        return this.gates.has(key) ? answer(200, 'Approved') : answer(403, 'Forbidden');
      case '/gate/open':
        this.gates.add(key);
        return answer(202, 'Gate opened');
      case '/gate/close':
        this.gates.delete(key);
        return answer(202, 'Gate closed');
      case '/rollback/check':
        return this.rollbacks.has(key) ? answer(200, 'Rollback') : answer(403, 'Forbidden');
      case '/rollback/open':
        this.rollbacks.add(key);
        return answer(202, 'Rollback gate opened');
      case '/rollback/close':
        this.rollbacks.delete(key);
        return answer(202, 'Rollback gate closed');
      default:
        return answer(200, 'ok');
    }
  }

  openGate(namespace: string, name: string): void {
    this.gates.add(`${namespace}/${name}`);
  }

  openRollback(namespace: string, name: string): void {
    this.rollbacks.add(`${namespace}/${name}`);
  }

  callsFor(namespace: string, name: string, path?: string): HookCall[] {
    return this.calls.filter(
      c => c.body.namespace === namespace && c.body.name === name && (!path || c.path === path),
    );
  }

  close(): Promise<void> {
    return close(this.server);
  }
}

export interface SlackMessage {
  path: string;
  authorization?: string;
  body: {
    channel?: string;
    username?: string;
    attachments?: Array<{
      author_name?: string;
      text?: string;
      color?: string;
      fields?: Array<{ title: string; value: string }>;
    }>;
  };
}

/** Accepts Slack incoming-webhook posts and keeps them. */
export class SlackSink {
  readonly messages: SlackMessage[] = [];

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(): Promise<SlackSink> {
    const ref: { sink?: SlackSink } = {};
    const server = http.createServer((req, res) => {
      void readBody(req).then(text => {
        try {
          ref.sink?.messages.push({
            path: req.url ?? '/',
            ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
            body: JSON.parse(text) as SlackMessage['body'],
          });
        } catch {
          // not JSON: ignored
        }
        res.writeHead(200).end('ok');
      });
    });
    ref.sink = new SlackSink(server, await listen(server));
    return ref.sink;
  }

  /** Texts of the messages about one canary (`<name>.<namespace>`). */
  textsFor(canary: string): string[] {
    return this.messages.flatMap(m =>
      (m.body.attachments ?? []).filter(a => a.author_name === canary).map(a => a.text ?? ''),
    );
  }

  close(): Promise<void> {
    return close(this.server);
  }
}
