import { ResponseError, toError } from '@backstage/errors';

/** What to tell the user about a failure: the backend's own message when it sent one. */
export function errorMessage(error: unknown): string {
  if (error instanceof ResponseError) {
    const message = error.body?.error?.message;
    return message ? `${message} (HTTP ${error.statusCode})` : error.message;
  }
  return toError(error).message;
}
