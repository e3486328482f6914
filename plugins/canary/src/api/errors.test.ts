import { ResponseError } from '@backstage/errors';
import { errorMessage } from './errors';

describe('errorMessage', () => {
  it('prefers the backend message of a ResponseError', async () => {
    const response = new Response(
      JSON.stringify({
        error: { name: 'ConflictError', message: 'revision moved on' },
        response: { statusCode: 409 },
      }),
      { status: 409, headers: { 'Content-Type': 'application/json' } },
    );
    expect(errorMessage(await ResponseError.fromResponse(response))).toBe(
      'revision moved on (HTTP 409)',
    );
  });

  it('falls back to the status and text of a body that is not the standard shape', async () => {
    const response = new Response('gateway timeout', { status: 504 });
    expect(errorMessage(await ResponseError.fromResponse(response))).toMatch(
      /^Request failed with status 504.*gateway timeout \(HTTP 504\)$/,
    );
  });

  it('reads plain errors and non-errors', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('just text')).toContain('just text');
  });
});
