/** Request parsing and response writing for the emulator's HTTP server. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import yaml from 'js-yaml';
import { ApiError, errors } from './errors.js';
import { decodeProtobufObject, isProtobuf } from './protobuf.js';

const MAX_BODY = 3 * 1024 * 1024;

/** Where a REST path points: a collection, an object, or an object's subresource. */
export interface ResourcePath {
  group: string;
  version: string;
  namespace?: string;
  plural: string;
  name?: string;
  subresource?: string;
}

export type ParsedPath =
  | { kind: 'resource'; path: ResourcePath }
  | { kind: 'groupVersion'; group: string; version: string }
  | { kind: 'group'; group: string }
  | { kind: 'other'; path: string };

export function parsePath(pathname: string): ParsedPath {
  const parts = pathname
    .split('/')
    .filter(p => p.length > 0)
    .map(p => {
      try {
        return decodeURIComponent(p);
      } catch {
        throw errors.badRequest(`malformed path segment "${p}"`);
      }
    });
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 2) {
    group = '';
    version = parts[1] ?? '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1] ?? '';
    version = parts[2] ?? '';
    rest = parts.slice(3);
  } else if (parts[0] === 'apis' && parts.length === 2) {
    return { kind: 'group', group: parts[1] ?? '' };
  } else {
    return { kind: 'other', path: pathname };
  }
  if (rest.length === 0) return { kind: 'groupVersion', group, version };
  let namespace: string | undefined;
  // /namespaces/{ns}/{plural}/... but /namespaces/{name}[/status|/finalize] is the namespace itself.
  const namespaceSubresource =
    group === '' && rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize');
  if (rest[0] === 'namespaces' && rest.length >= 3 && !namespaceSubresource) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural, name, subresource, ...extra] = rest;
  if (!plural || extra.length > 0) return { kind: 'other', path: pathname };
  return { kind: 'resource', path: { group, version, namespace, plural, name, subresource } };
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY) throw errors.tooLarge();
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** JSON (or YAML, for people with curl) request bodies. */
export function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if (isProtobuf(contentType)) return decodeProtobufObject(raw);
  // CBOR bodies are refused with 415, as servers without CBOR support do.
  if (contentType?.includes('cbor')) {
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml',
    );
  }
  const text = raw.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    if (contentType?.includes('yaml')) return yaml.load(text);
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw errors.badRequest(
      `the request body could not be decoded: ${(e as Error).message.split('\n')[0] ?? ''}`,
    );
  }
}

export function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  warnings: string[] = [],
): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | string[]> = {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(text)),
  };
  if (warnings.length) headers.Warning = warnings.map(w => `299 - ${JSON.stringify(w)}`);
  res.writeHead(code, headers);
  res.end(text);
}

export function sendError(res: ServerResponse, err: unknown): void {
  const apiError =
    err instanceof ApiError
      ? err
      : errors.internal(err instanceof Error ? err.message : String(err));
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, apiError.code, apiError.toStatus());
}

export function queryFlag(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v === 'true' || v === '1';
}
