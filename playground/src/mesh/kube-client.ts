// A minimal client for the Kubernetes API emulator over node:https, trusting its CA and sending
// its bearer token (what the playground's runtime code uses instead of a client library).
import https from 'node:https';
import { readFile } from 'node:fs/promises';
import yaml from 'js-yaml';

export interface KubeAccess {
  url: string;
  caPem: string;
  token: string;
}

export class KubeHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface KubeconfigDoc {
  clusters?: Array<{ cluster?: { server?: string; 'certificate-authority-data'?: string } }>;
  users?: Array<{ user?: { token?: string } }>;
}

/** Reads server, CA and token from a kubeconfig the emulator wrote. */
export async function accessFromKubeconfig(file: string): Promise<KubeAccess> {
  const doc = yaml.load(await readFile(file, 'utf8')) as KubeconfigDoc;
  const cluster = doc.clusters?.[0]?.cluster;
  const token = doc.users?.[0]?.user?.token;
  const ca = cluster?.['certificate-authority-data'];
  if (!cluster?.server || !token || !ca) throw new Error(`${file} is not a playground kubeconfig`);
  return { url: cluster.server, caPem: Buffer.from(ca, 'base64').toString('utf8'), token };
}

export async function kubeRequest<T = unknown>(
  access: KubeAccess,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<T> {
  const url = new URL(path, access.url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise<T>((resolve, reject) => {
    const req = https.request(
      url,
      {
        method,
        ca: access.caPem,
        headers: {
          authorization: `Bearer ${access.token}`,
          accept: 'application/json',
          ...(payload === undefined
            ? {}
            : { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) }),
        },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status >= 300) {
            let message = text;
            try {
              message = (JSON.parse(text) as { message?: string }).message ?? text;
            } catch {
              // not a Status
            }
            reject(new KubeHttpError(status, `${method} ${path}: ${status} ${message}`));
            return;
          }
          try {
            resolve((text ? JSON.parse(text) : undefined) as T);
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
          }
        });
      },
    );
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`${method} ${path}: timed out`)));
    req.end(payload);
  });
}

export interface ListedObject {
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

export async function listAll(access: KubeAccess, path: string): Promise<ListedObject[]> {
  const list = await kubeRequest<{ items?: ListedObject[] }>(access, 'GET', path);
  return list.items ?? [];
}
