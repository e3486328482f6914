// Metric failures by cause, so the engine can treat "no data" (no traffic) differently from a
// broken query or an unreachable server (Flagger counted them all as one failed check).

export type MetricsErrorKind =
  /** Misconfiguration: bad address, missing credentials, unknown template variable. */
  | 'config'
  /** Server not reachable: connection refused, DNS, TLS, timeout. */
  | 'unreachable'
  /** HTTP error status other than a rejected query (401, 403, 5xx...). */
  | 'http'
  /** Prometheus rejected or could not run the query (400/422), or it returned a range/string. */
  | 'bad-query'
  /** The query ran but produced nothing usable: empty vector or NaN (typically no traffic). */
  | 'no-data'
  /** The answer could not be understood (not Prometheus JSON). */
  | 'bad-response';

export class MetricsError extends Error {
  override readonly name: string = 'MetricsError';
  constructor(
    readonly kind: MetricsErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Flagger's wording, kept because users grep their events for it. */
export const NO_VALUES_FOUND = 'no values found';

export function isNoData(error: unknown): boolean {
  return error instanceof MetricsError && error.kind === 'no-data';
}
