import { target } from './__fixtures__/objects.js';
import { canonicalJson, templateRevision } from './revision.js';

describe('canonicalJson', () => {
  it.each([
    ['sorts keys at every level', { b: 1, a: { d: 1, c: 2 } }, '{"a":{"c":2,"d":1},"b":1}'],
    ['keeps array order', { a: [3, 1, 2] }, '{"a":[3,1,2]}'],
    ['drops undefined members', { a: undefined, b: 1 }, '{"b":1}'],
    ['writes undefined array items as null', [1, undefined], '[1,null]'],
    ['passes scalars through', 'x', '"x"'],
  ])('%s', (_name, value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });
});

describe('templateRevision', () => {
  const template = () => target().spec?.template ?? {};

  it('is 16 hex characters and stable', () => {
    expect(templateRevision(template())).toMatch(/^[0-9a-f]{16}$/);
    expect(templateRevision(template())).toBe(templateRevision(template()));
  });

  it('does not depend on key order, at any depth', () => {
    const reverseKeys = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(reverseKeys);
      if (value === null || typeof value !== 'object') return value;
      return Object.fromEntries(
        Object.entries(value)
          .reverse()
          .map(([k, v]) => [k, reverseKeys(v)]),
      );
    };
    const reversed = reverseKeys(template()) as ReturnType<typeof template>;
    expect(canonicalJson(reversed)).toBe(canonicalJson(template()));
    expect(JSON.stringify(reversed)).not.toBe(JSON.stringify(template()));
    expect(templateRevision(reversed)).toBe(templateRevision(template()));
  });

  it.each([
    [
      'the image',
      (t: ReturnType<typeof template>) =>
        ((t.spec?.containers[0] ?? { name: '' }).image = 'podinfo:6.1.0'),
    ],
    [
      'a pod annotation',
      (t: ReturnType<typeof template>) =>
        ((t.metadata ??= {}).annotations = { restartedAt: 'now' }),
    ],
    [
      'a pod label',
      (t: ReturnType<typeof template>) =>
        ((t.metadata ??= {}).labels = { app: 'podinfo', version: 'v2' }),
    ],
    ['a volume', (t: ReturnType<typeof template>) => t.spec?.volumes?.pop()],
  ])('changes with %s', (_what, mutate) => {
    const changed = template();
    mutate(changed);
    expect(templateRevision(changed)).not.toBe(templateRevision(template()));
  });

  it('treats a missing template as empty', () => {
    expect(templateRevision(undefined)).toBe(templateRevision({}));
  });
});
