/**
 * Helpers for driving the emulator with @kubernetes/client-node and with raw HTTPS: typed API
 * clients from the emulator's kubeconfig, failures unpacked into their `Status` bodies, raw
 * requests (to send what no client library would) and raw watch streams.
 */
import { request } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import * as k8s from '@kubernetes/client-node';
import type { KubeEmulator } from '../../src/index.js';

export { eventually } from './kubectl.js';

/** The `Status` body the API server sends with every failure. */
export interface StatusBody {
  kind: string;
  apiVersion: string;
  metadata: Record<string, unknown>;
  status: string;
  message: string;
  reason: string;
  code: number;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: Array<{ reason: string; message: string; field?: string }>;
  };
}

export interface Clients {
  kc: k8s.KubeConfig;
  core: k8s.CoreV1Api;
  apps: k8s.AppsV1Api;
  autoscaling: k8s.AutoscalingV2Api;
  coordination: k8s.CoordinationV1Api;
  events: k8s.EventsV1Api;
  apiextensions: k8s.ApiextensionsV1Api;
  custom: k8s.CustomObjectsApi;
}

export function clientsFor(emulator: KubeEmulator): Clients {
  const kc = new k8s.KubeConfig();
  kc.loadFromString(emulator.kubeconfig());
  return {
    kc,
    core: kc.makeApiClient(k8s.CoreV1Api),
    apps: kc.makeApiClient(k8s.AppsV1Api),
    autoscaling: kc.makeApiClient(k8s.AutoscalingV2Api),
    coordination: kc.makeApiClient(k8s.CoordinationV1Api),
    events: kc.makeApiClient(k8s.EventsV1Api),
    apiextensions: kc.makeApiClient(k8s.ApiextensionsV1Api),
    custom: kc.makeApiClient(k8s.CustomObjectsApi),
  };
}

/** Request options that send a patch body with the given patch content type. */
export const asMergePatch = () =>
  k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
export const asJsonPatch = () => k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch);
export const asStrategicMergePatch = () =>
  k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch);

/** Awaits a client call that must fail and returns the HTTP code and the `Status` body. */
export async function failure(
  call: Promise<unknown>,
): Promise<{ code: number; status: StatusBody }> {
  let outcome: unknown;
  try {
    outcome = await call;
  } catch (e) {
    if (!(e instanceof k8s.ApiException)) throw e;
    const err = e as k8s.ApiException<unknown>;
    const body = typeof err.body === 'string' ? (JSON.parse(err.body) as StatusBody) : err.body;
    return { code: err.code, status: body as StatusBody };
  }
  throw new Error(`expected the call to fail, it returned ${JSON.stringify(outcome)}`);
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: any;
}

export interface RawOptions {
  body?: string | Buffer | object;
  headers?: Record<string, string>;
  /** Bearer token to present; `null` sends no Authorization header. Default: the emulator's. */
  token?: string | null;
}

/** One HTTPS request on a fresh connection, trusting the emulator's CA. */
export function raw(
  emulator: KubeEmulator,
  method: string,
  path: string,
  opts: RawOptions = {},
): Promise<RawResponse> {
  const body =
    opts.body === undefined
      ? undefined
      : typeof opts.body === 'string' || Buffer.isBuffer(opts.body)
        ? Buffer.from(opts.body)
        : Buffer.from(JSON.stringify(opts.body));
  const token = opts.token === undefined ? emulator.token : opts.token;
  const headers: Record<string, string> = {
    ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    ...(body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {}),
    ...opts.headers,
  };
  return new Promise((resolve, reject) => {
    const req = request(
      `${emulator.url}${path}`,
      { method, ca: emulator.caPem, headers, agent: false },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    // A server may answer (413) and close before a large body is written; the answer counts.
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

export interface WatchEvent {
  type: string;
  object: any;
}

export interface RawWatch {
  /** Events received so far, in order. */
  events: WatchEvent[];
  /** Resolves once the server has ended the stream. */
  ended: Promise<void>;
  /** HTTP status of the watch response. */
  status: number;
  /** Waits until an event satisfying `match` has arrived (or fails after `timeoutMs`). */
  next(match: (e: WatchEvent) => boolean, timeoutMs?: number): Promise<WatchEvent>;
  close(): void;
}

/** Opens `path` (which must carry `watch=1`) as a stream of newline-delimited events. */
export function rawWatch(emulator: KubeEmulator, path: string): Promise<RawWatch> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${emulator.url}${path}`,
      {
        method: 'GET',
        ca: emulator.caPem,
        headers: { authorization: `Bearer ${emulator.token}` },
        agent: false,
      },
      res => {
        const events: WatchEvent[] = [];
        const waiters = new Set<() => void>();
        let buffered = '';
        let endedResolve: () => void = () => undefined;
        const ended = new Promise<void>(r => (endedResolve = r));
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffered += chunk;
          let nl: number;
          while ((nl = buffered.indexOf('\n')) >= 0) {
            const line = buffered.slice(0, nl).trim();
            buffered = buffered.slice(nl + 1);
            if (line) events.push(JSON.parse(line) as WatchEvent);
          }
          for (const w of [...waiters]) w();
        });
        let done = false;
        const finish = () => {
          done = true;
          endedResolve();
          for (const w of [...waiters]) w();
        };
        res.on('end', finish);
        res.on('close', finish);
        res.on('error', finish);
        resolve({
          events,
          ended,
          status: res.statusCode ?? 0,
          close: () => req.destroy(),
          next: (match, timeoutMs = 10_000) =>
            new Promise<WatchEvent>((ok, fail) => {
              const check = () => {
                const found = events.find(match);
                if (found) {
                  waiters.delete(check);
                  clearTimeout(timer);
                  ok(found);
                } else if (done) {
                  waiters.delete(check);
                  clearTimeout(timer);
                  fail(
                    new Error(`watch ended without the expected event; got ${describe(events)}`),
                  );
                }
              };
              const timer = setTimeout(() => {
                waiters.delete(check);
                fail(
                  new Error(
                    `no matching watch event within ${timeoutMs} ms; got ${describe(events)}`,
                  ),
                );
              }, timeoutMs);
              waiters.add(check);
              check();
            }),
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function describe(events: WatchEvent[]): string {
  return JSON.stringify(
    events.map(e => `${e.type} ${String(e.object?.metadata?.name ?? e.object?.reason ?? '')}`),
  );
}

/** A minimal valid Deployment selecting `app: <name>`. */
export function deployment(
  name: string,
  opts: {
    replicas?: number;
    image?: string;
    annotations?: Record<string, string>;
    progressDeadlineSeconds?: number;
  } = {},
): k8s.V1Deployment {
  return {
    metadata: { name, labels: { app: name } },
    spec: {
      replicas: opts.replicas ?? 2,
      progressDeadlineSeconds: opts.progressDeadlineSeconds,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name }, annotations: opts.annotations },
        spec: { containers: [{ name: 'app', image: opts.image ?? 'podinfo:6.0.0' }] },
      },
    },
  };
}
