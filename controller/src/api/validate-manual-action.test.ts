import { expectOnly } from './test-support/expect.js';
import { minimalCanary } from './test-support/fixtures.js';
import { validateCanary } from './validate.js';

const request = (extra: Record<string, unknown> = {}) =>
  minimalCanary({
    manualAction: {
      id: '6f1c2a4e-0d7b-4f7e-9a51-3f2b8c9d0e11',
      action: 'promote',
      revision: '5d8f7c9b6',
      requestedBy: 'jane@example.com',
      reason: 'looks good',
      requestedAt: '2026-03-02T10:00:00Z',
      ...extra,
    },
  });

describe('validateCanary: spec.manualAction', () => {
  it('accepts a complete request and one with only the required fields', () => {
    expect(validateCanary(request())).toEqual([]);
    expect(validateCanary(request({ reason: undefined, requestedAt: undefined }))).toEqual([]);
  });

  it('names each missing required field', () => {
    const canary = minimalCanary({ manualAction: { action: 'abort' } });
    expect(validateCanary(canary).map(p => p.field)).toEqual([
      'spec.manualAction.id',
      'spec.manualAction.revision',
      'spec.manualAction.requestedBy',
    ]);
  });

  it('rejects an unknown action, listing the valid ones', () => {
    expectOnly(
      validateCanary(request({ action: 'rollback' })),
      'spec.manualAction.action',
      'promote, abort, retry, pause, resume',
    );
  });

  it('rejects empty and blank strings', () => {
    expectOnly(validateCanary(request({ id: '' })), 'spec.manualAction.id', 'at least 1');
    expectOnly(
      validateCanary(request({ requestedBy: '  ' })),
      'spec.manualAction.requestedBy',
      'must not be blank',
    );
  });

  it('wants requestedAt in RFC 3339', () => {
    expectOnly(
      validateCanary(request({ requestedAt: 'yesterday' })),
      'spec.manualAction.requestedAt',
      'RFC 3339',
    );
    expectOnly(
      validateCanary(request({ requestedAt: '2026-13-40T10:00:00Z' })),
      'spec.manualAction.requestedAt',
      'RFC 3339',
    );
    expect(validateCanary(request({ requestedAt: '2026-03-02T10:00:00.123+02:00' }))).toEqual([]);
  });
});
