// Bearer tokens of the controller API. A token file (or the `tokens` key of a Secret) holds either
// lines `token[:identity[:role]]` (blank lines and `#` comments ignored) or a JSON object
// `{ "<token>": "<identity>" | { "identity": "...", "role": "..." } }`. Roles: `read` (reads
// only), `write` (the default: reads and actions as itself) and `trusted` (may also act
// `onBehalfOf` someone else, e.g. the Backstage backend). Tokens are compared in constant time
// (over their SHA-256 digests, so lengths do not leak either) and never logged.
import { createHash, timingSafeEqual } from 'node:crypto';

export type TokenRole = 'read' | 'write' | 'trusted';

export interface ApiToken {
  token: string;
  identity: string;
  role: TokenRole;
}

export interface Principal {
  identity: string;
  role: TokenRole;
}

const ROLES: readonly TokenRole[] = ['read', 'write', 'trusted'];

function role(value: unknown, where: string): TokenRole {
  if (value === undefined || value === '') return 'write';
  if (typeof value === 'string' && (ROLES as readonly string[]).includes(value)) {
    return value as TokenRole;
  }
  throw new Error(`${where}: role must be one of ${ROLES.join(', ')}`);
}

/** Parses a token file; errors name the line (or key position), never the token. */
export function parseTokens(text: string): ApiToken[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const parsed = JSON.parse(trimmed) as Record<string, unknown>;
    return Object.entries(parsed).map(([token, value], i) => {
      const where = `entry ${i + 1}`;
      if (!token) throw new Error(`${where}: empty token`);
      if (typeof value === 'string')
        return { token, identity: value || 'anonymous', role: 'write' };
      if (value && typeof value === 'object') {
        const v = value as { identity?: unknown; role?: unknown };
        const identity =
          typeof v.identity === 'string' && v.identity ? v.identity : `token-${i + 1}`;
        return { token, identity, role: role(v.role, where) };
      }
      throw new Error(`${where}: expected an identity or { identity, role }`);
    });
  }
  const tokens: ApiToken[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const [token = '', identity, r, ...rest] = line.split(':');
    if (!token || rest.length > 0)
      throw new Error(`line ${i + 1}: expected token[:identity[:role]]`);
    tokens.push({
      token,
      identity: identity || `token-line-${i + 1}`,
      role: role(r, `line ${i + 1}`),
    });
  });
  return tokens;
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

export type AuthResult =
  | { kind: 'anonymous' }
  | { kind: 'invalid'; reason: string }
  | { kind: 'ok'; principal: Principal };

/** Reads `Authorization: Bearer <token>` and finds its entry; compares every entry. */
export function authenticate(header: string | undefined, tokens: readonly ApiToken[]): AuthResult {
  if (!header) return { kind: 'anonymous' };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) return { kind: 'invalid', reason: 'malformed Authorization header' };
  const given = digest(match[1]);
  let found: ApiToken | undefined;
  for (const entry of tokens) {
    if (timingSafeEqual(given, digest(entry.token)) && !found) found = entry;
  }
  if (!found) return { kind: 'invalid', reason: 'unknown token' };
  return { kind: 'ok', principal: { identity: found.identity, role: found.role } };
}
