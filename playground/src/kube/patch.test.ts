import { applyJsonPatch, applyMergePatch, strategicMerge } from './patch.js';
import { ApiError } from './errors.js';

describe('JSON merge patch (RFC 7386)', () => {
  it('merges objects, deletes with null and replaces lists', () => {
    const target = { a: 1, b: { c: 2, d: 3 }, list: [1, 2] };
    expect(applyMergePatch(target, { b: { c: null, e: 4 }, list: [3], f: 'x' })).toEqual({
      a: 1,
      b: { d: 3, e: 4 },
      list: [3],
      f: 'x',
    });
    expect(target.b).toEqual({ c: 2, d: 3 });
  });
});

describe('JSON patch (RFC 6902)', () => {
  const doc = { spec: { replicas: 1, list: ['a', 'b'], 'we/ird~key': 1 } };
  it('applies add, replace, remove, move, copy and test in order', () => {
    const out = applyJsonPatch(doc, [
      { op: 'test', path: '/spec/replicas', value: 1 },
      { op: 'replace', path: '/spec/replicas', value: 3 },
      { op: 'add', path: '/spec/list/-', value: 'c' },
      { op: 'add', path: '/spec/list/0', value: 'z' },
      { op: 'remove', path: '/spec/list/1' },
      { op: 'copy', from: '/spec/replicas', path: '/spec/copied' },
      { op: 'move', from: '/spec/we~1ird~0key', path: '/spec/moved' },
    ]);
    expect(out).toEqual({ spec: { replicas: 3, list: ['z', 'b', 'c'], copied: 3, moved: 1 } });
    expect(doc.spec.replicas).toBe(1);
  });
  it.each([
    [[{ op: 'remove', path: '/spec/nope' }], 'doc is missing key: "/spec/nope"'],
    [[{ op: 'replace', path: '/nope/x', value: 1 }], 'doc is missing path'],
    [[{ op: 'test', path: '/spec/replicas', value: 2 }], 'testing value /spec/replicas failed'],
    [[{ op: 'add', path: '/spec/list/9', value: 1 }], 'index out of range'],
    [[{ op: 'frobnicate', path: '/' }], 'unexpected JSON patch operation'],
    [{ op: 'add' }, 'must be an array'],
  ])('rejects %j with 422: %s', (patch, message) => {
    try {
      applyJsonPatch(doc, patch);
      throw new Error('expected a failure');
    } catch (e) {
      expect(e).toBeInstanceOf(ApiError);
      expect((e as ApiError).code).toBe(422);
      expect((e as ApiError).message).toContain(message);
    }
  });
});

describe('strategic merge patch', () => {
  const deployment = {
    metadata: { finalizers: ['a'] },
    spec: {
      template: {
        spec: {
          containers: [
            {
              name: 'app',
              image: 'v1',
              env: [{ name: 'A', value: '1' }],
              ports: [{ containerPort: 80, name: 'http' }],
            },
            { name: 'sidecar', image: 's1' },
          ],
        },
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } },
    },
  };

  it('merges list items by their merge key', () => {
    const out = strategicMerge(deployment, {
      spec: {
        template: {
          spec: { containers: [{ name: 'app', image: 'v2', env: [{ name: 'B', value: '2' }] }] },
        },
      },
    }) as typeof deployment;
    const [app, sidecar] = out.spec.template.spec.containers;
    expect(app).toEqual({
      name: 'app',
      image: 'v2',
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
      ports: [{ containerPort: 80, name: 'http' }],
    });
    expect(sidecar).toEqual({ name: 'sidecar', image: 's1' });
  });

  it('honours $patch delete and replace, $retainKeys, $setElementOrder and primitive-list directives', () => {
    const out = strategicMerge(deployment, {
      metadata: { finalizers: ['b'], '$deleteFromPrimitiveList/finalizers': ['a'] },
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'sidecar', $patch: 'delete' },
              { name: 'new', image: 'n' },
            ],
            '$setElementOrder/containers': [{ name: 'new' }, { name: 'app' }],
          },
        },
        strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null },
      },
    }) as typeof deployment;
    expect(out.metadata.finalizers).toEqual(['b']);
    expect(out.spec.template.spec.containers.map(c => c.name)).toEqual(['new', 'app']);
    expect(out.spec.strategy).toEqual({ type: 'Recreate' });
    const replaced = strategicMerge(deployment, {
      spec: {
        template: { spec: { containers: [{ name: 'only', image: 'o' }, { $patch: 'replace' }] } },
      },
    }) as typeof deployment;
    expect(replaced.spec.template.spec.containers).toEqual([{ name: 'only', image: 'o' }]);
  });

  it('uses port as the Service ports merge key and containerPort inside containers', () => {
    const svc = {
      spec: {
        ports: [
          { port: 80, targetPort: 8080 },
          { port: 443, targetPort: 8443 },
        ],
      },
    };
    const out = strategicMerge(svc, {
      spec: { ports: [{ port: 80, targetPort: 9090 }] },
    }) as typeof svc;
    expect(out.spec.ports).toEqual([
      { port: 80, targetPort: 9090 },
      { port: 443, targetPort: 8443 },
    ]);
  });
});
