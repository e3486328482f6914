import { parseCanaryAnnotation } from './annotations';

describe('parseCanaryAnnotation', () => {
  it('reads entries with and without a cluster', () => {
    expect(parseCanaryAnnotation('demo/podinfo, prod:shop/cart')).toEqual({
      ok: true,
      refs: [
        { namespace: 'demo', name: 'podinfo' },
        { cluster: 'prod', namespace: 'shop', name: 'cart' },
      ],
    });
  });

  it('drops duplicates and empty entries', () => {
    expect(parseCanaryAnnotation('demo/a,,demo/a')).toEqual({
      ok: true,
      refs: [{ namespace: 'demo', name: 'a' }],
    });
  });

  it.each([
    [undefined, 'is empty'],
    ['  ', 'is empty'],
    [',', 'names no canary'],
    ['podinfo', 'must look like [cluster:]namespace/name'],
    ['a/b/c', 'must look like'],
    ['Demo/podinfo', '"Demo" is not a valid namespace'],
    ['demo/Pod_info', '"Pod_info" is not a valid canary name'],
    [':demo/podinfo', '"" is not a valid cluster name'],
  ])('refuses %p: %s', (value, message) => {
    const result = parseCanaryAnnotation(value);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(message);
  });
});
