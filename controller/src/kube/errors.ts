// Typed API errors, so callers branch on the kind of failure rather than on status codes, and
// the optimistic-concurrency retry loop every controller write needs.

/** A failed API request. `message` never contains request bodies (Secret data stays private). */
export class KubeApiError extends Error {
  override name = 'KubeApiError';
  constructor(
    message: string,
    /** HTTP status (0 when the request never got an answer). */
    readonly statusCode: number,
    /** The Kubernetes `Status.reason` (Conflict, NotFound, AlreadyExists, Invalid, Expired, ...). */
    readonly reason: string,
  ) {
    super(message);
  }
}

/** 409: the object changed since it was read (stale resourceVersion). */
export class ConflictError extends KubeApiError {
  override name = 'ConflictError';
}

/** 409 on create: an object of that name exists. A conflict too: re-read and update. */
export class AlreadyExistsError extends ConflictError {
  override name = 'AlreadyExistsError';
}

/** 404: the object (or its namespace, or its resource type) does not exist. */
export class NotFoundError extends KubeApiError {
  override name = 'NotFoundError';
}

export function isConflict(err: unknown): err is ConflictError {
  return err instanceof ConflictError;
}

export function isNotFound(err: unknown): err is NotFoundError {
  return err instanceof NotFoundError;
}

/** The error class for a status code and reason. */
export function apiError(statusCode: number, reason: string, message: string): KubeApiError {
  if (statusCode === 409 && reason === 'AlreadyExists') {
    return new AlreadyExistsError(message, statusCode, reason);
  }
  if (statusCode === 409) return new ConflictError(message, statusCode, reason);
  if (statusCode === 404) return new NotFoundError(message, statusCode, reason);
  return new KubeApiError(message, statusCode, reason);
}

/**
 * Runs `attempt` until it does not fail with a conflict, at most `attempts` times. Each call
 * must re-read the object it writes (from its getter), since the previous read was stale; the
 * attempt number (0-based) lets it read from a cache first and from the API server after a
 * conflict. Other errors, and the last conflict, propagate.
 */
export async function retryOnConflict<T>(
  attempt: (n: number) => Promise<T>,
  attempts = 5,
): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (!isConflict(err) || n + 1 >= attempts) throw err;
    }
  }
}
