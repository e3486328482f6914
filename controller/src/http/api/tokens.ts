// Where the API's tokens come from: a file (re-read when its modification time changes) or a
// Secret in the informer cache (re-parsed when its resourceVersion changes). A file or Secret
// that does not parse yields no tokens (every request needing one is a 401) and one log line
// naming the problem, never a token.
import { statSync, readFileSync } from 'node:fs';
import type { Logger } from '../../kube/index.js';
import type { Secret } from '../../workload/types.js';
import { parseTokens, type ApiToken } from './auth.js';

export type TokenSource = () => readonly ApiToken[];

export function fileTokens(path: string, log: Logger): TokenSource {
  let stamp = '';
  let tokens: readonly ApiToken[] = [];
  return () => {
    let now: string;
    try {
      const st = statSync(path);
      now = `${st.mtimeMs}:${st.size}`;
    } catch (err) {
      now = 'missing';
      if (stamp !== now)
        log.warn('api token file unreadable', { path, error: (err as Error).message });
      stamp = now;
      tokens = [];
      return tokens;
    }
    if (now !== stamp) {
      stamp = now;
      try {
        tokens = parseTokens(readFileSync(path, 'utf8'));
        log.info('api tokens loaded', { path, count: tokens.length });
      } catch (err) {
        tokens = [];
        log.warn('api token file invalid', { path, error: (err as Error).message });
      }
    }
    return tokens;
  };
}

export function secretTokens(
  secrets: { get(namespace: string, name: string): Secret | undefined },
  namespace: string,
  name: string,
  log: Logger,
): TokenSource {
  let version: string | undefined;
  let tokens: readonly ApiToken[] = [];
  return () => {
    const secret = secrets.get(namespace, name);
    const now = secret ? (secret.metadata?.resourceVersion ?? '?') : undefined;
    if (now === version) return tokens;
    version = now;
    tokens = [];
    const data = secret?.data?.tokens;
    if (!secret || data === undefined) {
      log.warn('api token Secret missing or without a "tokens" key', {
        secret: `${namespace}/${name}`,
      });
      return tokens;
    }
    try {
      tokens = parseTokens(Buffer.from(data, 'base64').toString('utf8'));
      log.info('api tokens loaded', { secret: `${namespace}/${name}`, count: tokens.length });
    } catch (err) {
      log.warn('api token Secret invalid', {
        secret: `${namespace}/${name}`,
        error: (err as Error).message,
      });
    }
    return tokens;
  };
}
