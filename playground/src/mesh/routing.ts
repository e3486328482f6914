// Istio's HTTP routing decisions, as pure functions over a VirtualService's `spec.http` routes:
// which route a request takes (first route whose match list matches, in order), which weighted
// destination it goes to, whether it is mirrored and which header operations apply.

/** An Istio StringMatch: exactly one of exact, prefix, regex. */
export interface StringMatch {
  exact?: string;
  prefix?: string;
  regex?: string;
}

export interface HttpMatch {
  uri?: StringMatch;
  method?: StringMatch;
  headers?: Record<string, StringMatch>;
  withoutHeaders?: Record<string, StringMatch>;
  queryParams?: Record<string, StringMatch>;
}

export interface HeaderOperations {
  set?: Record<string, string>;
  add?: Record<string, string>;
  remove?: string[];
}

export interface Headers {
  request?: HeaderOperations;
  response?: HeaderOperations;
}

export interface RouteDestination {
  destination: { host: string; port?: { number?: number } };
  weight?: number;
  headers?: Headers;
}

export interface HttpRoute {
  name?: string;
  match?: HttpMatch[];
  route?: RouteDestination[];
  mirror?: { host: string };
  mirrorPercentage?: { value?: number };
  mirrorPercent?: number;
  headers?: Headers;
}

/** What routing looks at in a request. Header names are lower case. */
export interface RouteRequest {
  method: string;
  /** Path with query string, e.g. `/status/500?x=1`. */
  url: string;
  headers: Record<string, string | undefined>;
}

/** A uniform random number in [0, 1). */
export type Random = () => number;

/** Istio's StringMatch semantics (regex is a full match, as Envoy's RE2 `safe_regex`). */
export function stringMatches(match: StringMatch, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (match.exact !== undefined) return value === match.exact;
  if (match.prefix !== undefined) return value.startsWith(match.prefix);
  if (match.regex !== undefined) {
    try {
      return new RegExp(`^(?:${match.regex})$`).test(value);
    } catch {
      return false;
    }
  }
  return true;
}

function splitUrl(url: string): { path: string; query: URLSearchParams } {
  const q = url.indexOf('?');
  return q < 0
    ? { path: url, query: new URLSearchParams() }
    : { path: url.slice(0, q), query: new URLSearchParams(url.slice(q + 1)) };
}

/** One match block: every condition in it must hold. */
export function matchBlockMatches(match: HttpMatch, request: RouteRequest): boolean {
  const { path, query } = splitUrl(request.url);
  if (match.uri && !stringMatches(match.uri, path)) return false;
  if (match.method && !stringMatches(match.method, request.method.toUpperCase())) return false;
  for (const [name, m] of Object.entries(match.headers ?? {})) {
    if (!stringMatches(m, request.headers[name.toLowerCase()])) return false;
  }
  for (const [name, m] of Object.entries(match.withoutHeaders ?? {})) {
    if (stringMatches(m, request.headers[name.toLowerCase()])) return false;
  }
  for (const [name, m] of Object.entries(match.queryParams ?? {})) {
    if (!stringMatches(m, query.get(name) ?? undefined)) return false;
  }
  return true;
}

/** The first route whose match list is empty or has a matching block (Istio's evaluation order). */
export function selectRoute(
  routes: readonly HttpRoute[],
  request: RouteRequest,
): HttpRoute | undefined {
  return routes.find(
    r => !r.match || r.match.length === 0 || r.match.some(m => matchBlockMatches(m, request)),
  );
}

/**
 * A destination by weight. A single destination takes all traffic whatever its weight (Istio
 * ignores the weight of a lone destination: 0 is the proto default, the same as unset); among
 * several, weights of 0 never receive any. Undefined when every weight is 0 (Istio answers 503).
 */
export function pickDestination(route: HttpRoute, random: Random): RouteDestination | undefined {
  const dests = route.route ?? [];
  if (dests.length === 1) return dests[0];
  const total = dests.reduce((sum, d) => sum + Math.max(0, d.weight ?? 0), 0);
  if (total <= 0) return undefined;
  let point = random() * total;
  for (const d of dests) {
    const w = Math.max(0, d.weight ?? 0);
    if (point < w) return d;
    point -= w;
  }
  return dests.filter(d => (d.weight ?? 0) > 0).at(-1);
}

/** Whether this request is also mirrored (`mirrorPercentage`, default 100 %). */
export function shouldMirror(route: HttpRoute, random: Random): string | undefined {
  if (!route.mirror?.host) return undefined;
  const percent = route.mirrorPercentage?.value ?? route.mirrorPercent ?? 100;
  return random() * 100 < percent ? route.mirror.host : undefined;
}

/** Applies header operations in Istio's order: set, add, remove. Names are lower-cased. */
export function applyHeaderOperations(
  headers: Record<string, string | string[]>,
  ops: HeaderOperations | undefined,
): void {
  if (!ops) return;
  for (const [k, v] of Object.entries(ops.set ?? {})) headers[k.toLowerCase()] = v;
  for (const [k, v] of Object.entries(ops.add ?? {})) {
    const key = k.toLowerCase();
    const existing = headers[key];
    headers[key] =
      existing === undefined ? v : [...(Array.isArray(existing) ? existing : [existing]), v];
  }
  for (const k of ops.remove ?? []) delete headers[k.toLowerCase()];
}

/** The names a VirtualService host answers to from inside its namespace. */
export function hostAliases(host: string, namespace: string): string[] {
  if (host.includes('.')) {
    const short = host.split('.');
    if (host.endsWith('.svc.cluster.local') && short.length === 5) {
      return [host, `${short[0]}.${short[1]}`, `${short[0]}.${short[1]}.svc`];
    }
    return [host];
  }
  return [
    host,
    `${host}.${namespace}`,
    `${host}.${namespace}.svc`,
    `${host}.${namespace}.svc.cluster.local`,
  ];
}

/** A deterministic generator (mulberry32) for tests and reproducible load. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
