// Prometheus HTTP API client (spec 4.2): instant queries, the reduction of a result to one
// number, and the `vector(1)` health check.
import type { DateTime } from 'luxon';
import { HttpRequestError, httpRequest, maskSecrets, redactUrl } from '../webhooks/http-request.js';
import type { HttpResponse } from '../webhooks/http-request.js';
import { MetricsError, NO_VALUES_FOUND } from './errors.js';
import type { InstantResult, MetricsProvider, PrometheusApi, QueryOptions } from './provider.js';

export interface PrometheusClientOptions {
  /** Base URL, e.g. `http://prometheus:9090` or `https://host/prometheus`. */
  address: string;
  /** Extra request headers (a MetricTemplate's `headers`; several values are comma-joined). */
  headers?: Record<string, string | readonly string[]>;
  /**
   * Decoded data of the provider's Secret, when it has a secretRef: `token` (bearer) or
   * `username` + `password` (basic auth). Undefined means no authentication.
   */
  credentials?: Record<string, string>;
  /** Per-request timeout; Flagger uses 5 s. */
  timeoutMs?: number;
  insecureSkipVerify?: boolean;
}

const ONLINE_QUERY = 'vector(1)';
/** Above this a query goes as a form POST (same endpoint) so URL length limits never bite. */
const MAX_GET_QUERY_LENGTH = 2000;

type Auth = { kind: 'none' } | { kind: 'bearer'; token: string } | { kind: 'basic'; value: string };

function authFrom(credentials: Record<string, string> | undefined): Auth {
  if (!credentials) return { kind: 'none' };
  if (credentials.token) return { kind: 'bearer', token: credentials.token };
  if (!credentials.username) {
    throw new MetricsError('config', 'prometheus credentials does not contain a username');
  }
  if (!credentials.password) {
    throw new MetricsError('config', 'prometheus credentials does not contain a password');
  }
  const value = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
  return { kind: 'basic', value };
}

/** Prometheus encodes sample values as strings, including "NaN", "+Inf" and "-Inf". */
export function parseSampleValue(text: unknown): number {
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === 'NaN') return Number.NaN;
  const value = typeof text === 'string' && text.trim() !== '' ? Number(text) : Number.NaN;
  if (Number.isNaN(value))
    throw new MetricsError('bad-response', `unparsable sample value ${String(text)}`);
  return value;
}

export class PrometheusClient implements MetricsProvider, PrometheusApi {
  private readonly base: URL;
  private readonly auth: Auth;
  private readonly timeoutMs: number;
  private readonly headers: Record<string, string>;
  private readonly secrets: string[];

  constructor(private readonly options: PrometheusClientOptions) {
    let base: URL | undefined;
    try {
      base = options.address ? new URL(options.address) : undefined;
    } catch {
      base = undefined;
    }
    if (!base || (base.protocol !== 'http:' && base.protocol !== 'https:')) {
      throw new MetricsError(
        'config',
        `prometheus address ${redactUrl(options.address)} is not a valid URL`,
      );
    }
    this.base = base;
    this.auth = authFrom(options.credentials);
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.headers = Object.fromEntries(
      Object.entries(options.headers ?? {}).map(([k, v]) => [
        k,
        typeof v === 'string' ? v : v.join(', '),
      ]),
    );
    this.secrets = [base.password, base.username, ...Object.values(options.credentials ?? {})];
  }

  /** Runs an instant query; rejects with a MetricsError saying why it failed. */
  async instantQuery(query: string, options: QueryOptions = {}): Promise<InstantResult> {
    const response = await this.send(query.replace(/\s+/g, ' ').trim(), options.time);
    return this.parse(response);
  }

  /**
   * One number from a query (Flagger's RunQuery): a vector's sample (the last one when there are
   * several), or a scalar (Flagger failed on scalars; a user expects `scalar(...)` to work).
   * Empty or NaN is "no values found". ±Inf passes through.
   */
  async runQuery(query: string, options: QueryOptions = {}): Promise<number> {
    const result = await this.instantQuery(query, options);
    const value = result.resultType === 'scalar' ? result.value : result.samples.at(-1)?.value;
    if (value === undefined || Number.isNaN(value))
      throw new MetricsError('no-data', NO_VALUES_FOUND);
    return value;
  }

  /** `vector(1)` must return 1. */
  async isOnline(): Promise<void> {
    const value = await this.runQuery(ONLINE_QUERY);
    if (value !== 1)
      throw new MetricsError('bad-response', `value is not 1 for query: ${ONLINE_QUERY}`);
  }

  private endpoint(): URL {
    const url = new URL(this.base.href);
    url.username = '';
    url.password = '';
    url.search = '';
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/v1/query`;
    return url;
  }

  private requestHeaders(): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json', ...this.headers };
    const { username, password } = this.base;
    if (this.auth.kind === 'bearer') headers.authorization = `Bearer ${this.auth.token}`;
    else if (this.auth.kind === 'basic') headers.authorization = `Basic ${this.auth.value}`;
    else if (username) {
      const user = `${decodeURIComponent(username)}:${decodeURIComponent(password)}`;
      headers.authorization = `Basic ${Buffer.from(user).toString('base64')}`;
    }
    return headers;
  }

  private async send(query: string, time: DateTime | undefined): Promise<HttpResponse> {
    const params = new URLSearchParams({ query });
    if (time) params.set('time', (time.toMillis() / 1000).toFixed(3));
    const url = this.endpoint();
    const headers = this.requestHeaders();
    const asForm = query.length > MAX_GET_QUERY_LENGTH;
    if (!asForm) url.search = params.toString();
    else headers['content-type'] = 'application/x-www-form-urlencoded';
    try {
      return await httpRequest({
        method: asForm ? 'POST' : 'GET',
        url,
        headers,
        ...(asForm ? { body: params.toString() } : {}),
        timeoutMs: this.timeoutMs,
        insecureSkipVerify: this.options.insecureSkipVerify ?? false,
      });
    } catch (err) {
      const detail = err instanceof HttpRequestError ? err.message : 'request failed';
      throw new MetricsError('unreachable', `prometheus ${redactUrl(url)} ${detail}`);
    }
  }

  private parse(response: HttpResponse): InstantResult {
    const body = maskSecrets(response.body, this.secrets);
    let json: PromEnvelope | undefined;
    try {
      json = JSON.parse(response.body) as PromEnvelope;
    } catch {
      json = undefined;
    }
    const apiError =
      json?.status === 'error' ? `${json.errorType ?? 'error'}: ${json.error ?? ''}` : undefined;
    if (apiError && (response.status < 400 || response.status === 400 || response.status === 422)) {
      throw new MetricsError('bad-query', maskSecrets(apiError, this.secrets), response.status);
    }
    if (response.status >= 400) {
      const detail = apiError ? maskSecrets(apiError, this.secrets) : body.slice(0, 500);
      const text = `error response: Status ${response.status} ${response.statusText}: ${detail}`;
      throw new MetricsError('http', text, response.status);
    }
    if (!json?.data) {
      throw new MetricsError('bad-response', `error unmarshaling result: '${body.slice(0, 200)}'`);
    }
    return toInstantResult(json.data);
  }
}

interface PromEnvelope {
  status?: string;
  errorType?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
}

function toInstantResult(data: NonNullable<PromEnvelope['data']>): InstantResult {
  if (data.resultType === 'scalar') {
    const pair = data.result as [number, string];
    return { resultType: 'scalar', value: parseSampleValue(pair?.[1]) };
  }
  if (data.resultType === 'vector' && Array.isArray(data.result)) {
    const samples = (
      data.result as Array<{ metric?: Record<string, string>; value?: [number, string] }>
    ).map(item => ({ metric: item.metric ?? {}, value: parseSampleValue(item.value?.[1]) }));
    return { resultType: 'vector', samples };
  }
  if (data.resultType === 'matrix')
    throw new MetricsError('bad-query', 'query returned multiple values');
  throw new MetricsError(
    'bad-query',
    `query returned a ${data.resultType ?? 'unknown'} result, expected a number`,
  );
}
