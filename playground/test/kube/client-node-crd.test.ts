/**
 * CustomResourceDefinitions through ApiextensionsV1Api and custom objects through
 * CustomObjectsApi: registration and discovery, namespaced and cluster scope, several versions,
 * status and scale subresources, printer columns, structural-schema validation (the API server's
 * messages and causes), defaulting, pruning, and removal with the CRD.
 */
import type * as k8s from '@kubernetes/client-node';
import { startKubeEmulator } from '../../src/index.js';
import type { KubeEmulator } from '../../src/index.js';
import type { Clients } from '../support/kube-client.js';
import {
  asJsonPatch,
  asMergePatch,
  asStrategicMergePatch,
  clientsFor,
  eventually,
  failure,
  raw,
} from '../support/kube-client.js';

let emulator: KubeEmulator;
let c: Clients;

const GROUP = 'example.dev';
const NS = 'crd';

const widgetSchema: k8s.V1JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['size'],
      properties: {
        size: { type: 'integer', minimum: 1, maximum: 10 },
        replicas: { type: 'integer' },
        color: { type: 'string', _enum: ['red', 'blue'], _default: 'red' },
        owner: { type: 'string', pattern: '^[a-z]+$' },
        tags: { type: 'array', maxItems: 2, items: { type: 'string' } },
        extra: { type: 'object', x_kubernetes_preserve_unknown_fields: true },
      },
    },
    status: {
      type: 'object',
      properties: {
        phase: { type: 'string' },
        replicas: { type: 'integer' },
        selector: { type: 'string' },
      },
    },
  },
};

const widgetCrd = (): k8s.V1CustomResourceDefinition => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `widgets.${GROUP}` },
  spec: {
    group: GROUP,
    scope: 'Namespaced',
    names: {
      plural: 'widgets',
      singular: 'widget',
      kind: 'Widget',
      listKind: 'WidgetList',
      shortNames: ['wg'],
    },
    versions: [
      {
        name: 'v1beta1',
        served: true,
        storage: false,
        schema: { openAPIV3Schema: { type: 'object', x_kubernetes_preserve_unknown_fields: true } },
      },
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: {
          status: {},
          scale: {
            specReplicasPath: '.spec.replicas',
            statusReplicasPath: '.status.replicas',
            labelSelectorPath: '.status.selector',
          },
        },
        additionalPrinterColumns: [
          { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
          { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
          { name: 'Color', type: 'string', jsonPath: '.spec.color', priority: 1 },
        ],
        schema: { openAPIV3Schema: widgetSchema },
      },
    ],
  },
});

const gadgetCrd = (): k8s.V1CustomResourceDefinition => ({
  metadata: { name: `gadgets.${GROUP}` },
  spec: {
    group: GROUP,
    scope: 'Cluster',
    names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                properties: {
                  mode: { type: 'string' },
                  config: { type: 'object', x_kubernetes_preserve_unknown_fields: true },
                },
              },
              status: { type: 'object', properties: { ready: { type: 'boolean' } } },
            },
          },
        },
      },
    ],
  },
});

const widget = (name: string, spec: Record<string, unknown>, labels?: Record<string, string>) => ({
  apiVersion: `${GROUP}/v1`,
  kind: 'Widget',
  metadata: { name, labels },
  spec,
});

const createWidget = (
  name: string,
  spec: Record<string, unknown>,
  labels?: Record<string, string>,
) =>
  c.custom.createNamespacedCustomObject({
    group: GROUP,
    version: 'v1',
    namespace: NS,
    plural: 'widgets',
    body: widget(name, spec, labels),
  }) as Promise<any>;

const getWidget = (name: string, version = 'v1') =>
  c.custom.getNamespacedCustomObject({
    group: GROUP,
    version,
    namespace: NS,
    plural: 'widgets',
    name,
  }) as Promise<any>;

beforeAll(async () => {
  emulator = await startKubeEmulator({ rolloutDelayMs: 20 });
  c = clientsFor(emulator);
  await c.core.createNamespace({ body: { metadata: { name: NS } } });
  await c.apiextensions.createCustomResourceDefinition({ body: widgetCrd() });
  await c.apiextensions.createCustomResourceDefinition({ body: gadgetCrd() });
});
afterAll(() => emulator.stop());

describe('registration and discovery', () => {
  it('reports a new CRD NamesAccepted and Established with its stored version', async () => {
    const crd = await eventually(async () => {
      const cur = await c.apiextensions.readCustomResourceDefinition({ name: `widgets.${GROUP}` });
      return cur.status?.conditions?.some(x => x.type === 'Established' && x.status === 'True')
        ? cur
        : undefined;
    });
    expect(crd.status?.conditions?.map(x => [x.type, x.status, x.reason])).toEqual([
      ['NamesAccepted', 'True', 'NoConflicts'],
      ['Established', 'True', 'InitialNamesAccepted'],
    ]);
    expect(crd.status?.acceptedNames).toMatchObject({
      plural: 'widgets',
      kind: 'Widget',
      shortNames: ['wg'],
    });
    expect(crd.status?.storedVersions).toEqual(['v1']);
    expect(crd.metadata?.generation).toBe(1);
  });

  it('serves the group in discovery with each version’s resources and subresources', async () => {
    const v1 = await c.custom.getAPIResources({ group: GROUP, version: 'v1' });
    expect(v1.groupVersion).toBe(`${GROUP}/v1`);
    const byName = new Map(v1.resources.map(r => [r.name, r]));
    expect(byName.get('widgets')).toMatchObject({
      namespaced: true,
      kind: 'Widget',
      singularName: 'widget',
      shortNames: ['wg'],
      verbs: expect.arrayContaining([
        'create',
        'delete',
        'get',
        'list',
        'patch',
        'update',
        'watch',
      ]),
    });
    expect(byName.get('widgets/status')?.verbs).toEqual(['get', 'patch', 'update']);
    expect(byName.get('widgets/scale')).toMatchObject({
      kind: 'Scale',
      group: 'autoscaling',
      version: 'v1',
    });
    expect(byName.get('gadgets')).toMatchObject({ namespaced: false, kind: 'Gadget' });
    expect(byName.has('gadgets/status')).toBe(false);
    const beta = await c.custom.getAPIResources({ group: GROUP, version: 'v1beta1' });
    expect(beta.resources.map(r => r.name)).toEqual(['widgets']);
    const groups = await raw(emulator, 'GET', '/apis');
    const group = (
      groups.json.groups as Array<{
        name: string;
        preferredVersion: { version: string };
        versions: unknown[];
      }>
    ).find(g => g.name === GROUP);
    expect(group?.preferredVersion.version).toBe('v1');
    expect(group?.versions).toEqual([
      { groupVersion: `${GROUP}/v1`, version: 'v1' },
      { groupVersion: `${GROUP}/v1beta1`, version: 'v1beta1' },
    ]);
  });

  it('rejects an invalid CRD with 422 and one cause per problem', async () => {
    const { code, status } = await failure(
      c.apiextensions.createCustomResourceDefinition({
        body: {
          metadata: { name: 'wrong.example.dev' },
          spec: {
            group: GROUP,
            scope: 'Galaxy',
            names: { plural: 'things', kind: 'Thing' },
            versions: [
              {
                name: 'v1',
                served: true,
                storage: false,
                schema: { openAPIV3Schema: { type: 'object' } },
              },
            ],
          },
        },
      }),
    );
    expect(code).toBe(422);
    expect(status.reason).toBe('Invalid');
    expect(status.message).toMatch(
      /^CustomResourceDefinition\.apiextensions\.k8s\.io "wrong\.example\.dev" is invalid: \[/,
    );
    expect(status.details).toMatchObject({
      name: 'wrong.example.dev',
      group: 'apiextensions.k8s.io',
      kind: 'CustomResourceDefinition',
    });
    expect(status.details?.causes?.map(x => [x.reason, x.field])).toEqual([
      ['FieldValueNotSupported', 'spec.scope'],
      ['FieldValueInvalid', 'metadata.name'],
      ['FieldValueInvalid', 'spec.versions'],
    ]);
    expect(status.details?.causes?.[0]?.message).toBe(
      'Unsupported value: "Galaxy": supported values: "Cluster", "Namespaced"',
    );
    expect(
      (
        await failure(
          c.custom.listClusterCustomObject({ group: GROUP, version: 'v1', plural: 'things' }),
        )
      ).code,
    ).toBe(404);
  });
});

describe('CRD validation keeps malformed definitions out', () => {
  const crdPath = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
  const objectSchema = { openAPIV3Schema: { type: 'object' } };
  const definition = (
    plural: string,
    spec: Record<string, unknown>,
    annotations?: Record<string, string>,
  ) => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${String(spec.group ?? GROUP)}`, annotations },
    spec: {
      group: GROUP,
      scope: 'Namespaced',
      names: { plural, kind: 'Thing' },
      versions: [{ name: 'v1', served: true, storage: true, schema: objectSchema }],
      ...spec,
    },
  });
  const causesOf = async (body: object) => {
    const res = await raw(emulator, 'POST', crdPath, { body });
    expect(res.status).toBe(422);
    expect(res.json.reason).toBe('Invalid');
    return (
      res.json.details.causes as Array<{ reason: string; field: string; message: string }>
    ).map(x => [x.reason, x.field, x.message]);
  };

  it('refuses names and versions of the wrong shape', async () => {
    expect(await causesOf(definition('shapes', { names: 'x', versions: 'y' }))).toEqual(
      expect.arrayContaining([
        ['FieldValueInvalid', 'spec.names', 'Invalid value: "x": must be an object'],
        ['FieldValueInvalid', 'spec.versions', 'Invalid value: "y": must be a list'],
        ['FieldValueRequired', 'spec.names.plural', 'Required value'],
      ]),
    );
    expect(await causesOf(definition('nulls', { versions: [null] }))).toEqual(
      expect.arrayContaining([
        ['FieldValueInvalid', 'spec.versions[0]', 'Invalid value: null: must be an object'],
      ]),
    );
    expect(
      await causesOf(
        definition('strs', {
          versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: 'x' } }],
        }),
      ),
    ).toEqual([
      [
        'FieldValueInvalid',
        'spec.versions[0].schema.openAPIV3Schema',
        'Invalid value: "x": must be a schema object',
      ],
    ]);
  });

  it('refuses duplicate versions, uncompilable patterns, unknown types and bad scale paths', async () => {
    const v = (name: string, storage: boolean, extra: object = {}) => ({
      name,
      served: true,
      storage,
      schema: objectSchema,
      ...extra,
    });
    expect(
      await causesOf(definition('dups', { versions: [v('v1', true), v('v1', false)] })),
    ).toEqual([['FieldValueDuplicate', 'spec.versions[1].name', 'Duplicate value: "v1"']]);
    const schema = {
      openAPIV3Schema: {
        type: 'object',
        properties: {
          spec: {
            type: 'object',
            properties: {
              p: { type: 'string', pattern: '([' },
              q: { type: 'strung' },
              r: { type: 'array', items: 'x' },
            },
          },
        },
      },
    };
    const causes = await causesOf(definition('schemas', { versions: [v('v1', true, { schema })] }));
    expect(causes.map(x => x[1])).toEqual([
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[p].pattern',
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[q].type',
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[r].items',
    ]);
    expect(causes[0]?.[2]).toMatch(
      /^Invalid value: "\(\[": must be a valid regular expression, but isn't: /,
    );
    const scale = {
      subresources: {
        scale: {
          specReplicasPath: 'spec.replicas',
          statusReplicasPath: '.spec.replicas',
          labelSelectorPath: '.metadata.labels',
        },
      },
    };
    expect(await causesOf(definition('scales', { versions: [v('v1', true, scale)] }))).toEqual([
      [
        'FieldValueInvalid',
        'spec.versions[0].subresources.scale.specReplicasPath',
        'Invalid value: "spec.replicas": should be a json path under .spec',
      ],
      [
        'FieldValueInvalid',
        'spec.versions[0].subresources.scale.statusReplicasPath',
        'Invalid value: ".spec.replicas": should be a json path under .status',
      ],
      [
        'FieldValueInvalid',
        'spec.versions[0].subresources.scale.labelSelectorPath',
        'Invalid value: ".metadata.labels": should be a json path under either .spec or .status',
      ],
    ]);
  });

  it('requires a dotted group and approval for protected groups', async () => {
    expect(await causesOf(definition('things', { group: 'apps' }))).toEqual([
      [
        'FieldValueInvalid',
        'spec.group',
        'Invalid value: "apps": should be a domain with at least one dot',
      ],
    ]);
    expect(await causesOf(definition('things', { group: 'example.k8s.io' }))).toEqual([
      [
        'FieldValueRequired',
        'metadata.annotations[api-approved.kubernetes.io]',
        'Required value: protected groups must have approval annotation "api-approved.kubernetes.io", see https://github.com/kubernetes/enhancements/pull/1111',
      ],
    ]);
  });

  it('never lets a CRD replace or remove a built-in resource', async () => {
    await c.coordination.createNamespacedLease({
      namespace: NS,
      body: { metadata: { name: 'keep-me' }, spec: { holderIdentity: 'a' } },
    });
    const shadow = definition(
      'leases',
      { group: 'coordination.k8s.io', names: { plural: 'leases', kind: 'Lease' } },
      {
        'api-approved.kubernetes.io': 'https://example.dev/approval',
      },
    );
    expect((await raw(emulator, 'POST', crdPath, { body: shadow })).status).toBe(201);
    // Still the built-in: schema-less custom resources would accept this and generation would appear.
    const lease = await c.coordination.readNamespacedLease({ name: 'keep-me', namespace: NS });
    expect(lease.spec?.holderIdentity).toBe('a');
    expect(lease.metadata?.generation).toBeUndefined();
    expect((await raw(emulator, 'DELETE', `${crdPath}/leases.coordination.k8s.io`)).status).toBe(
      200,
    );
    await eventually(
      async () =>
        (await raw(emulator, 'GET', `${crdPath}/leases.coordination.k8s.io`)).status === 404,
    );
    expect(
      (await c.coordination.readNamespacedLease({ name: 'keep-me', namespace: NS })).spec
        ?.holderIdentity,
    ).toBe('a');
    const resources = await raw(emulator, 'GET', '/apis/coordination.k8s.io/v1');
    expect(resources.json.resources.map((r: { name: string }) => r.name)).toContain('leases');
  });
});

describe('custom objects: CRUD and patches', () => {
  it('creates with defaults and pruning, reporting pruned fields as warnings', async () => {
    const res = await c.custom.createNamespacedCustomObjectWithHttpInfo({
      group: GROUP,
      version: 'v1',
      namespace: NS,
      plural: 'widgets',
      body: {
        ...widget('alpha', { size: 3, bogus: true, extra: { anything: { goes: 1 } } }),
        topLevelJunk: 1,
      },
    });
    expect(res.httpStatusCode).toBe(201);
    const created = res.data as any;
    expect(created.spec).toEqual({ size: 3, color: 'red', extra: { anything: { goes: 1 } } });
    expect(created.topLevelJunk).toBeUndefined();
    expect(created.metadata.generation).toBe(1);
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.warning).toBe(
      '299 - "unknown field \\"spec.bogus\\"", 299 - "unknown field \\"topLevelJunk\\""',
    );
    const stored = emulator.peek(GROUP, 'widgets', NS, 'alpha');
    expect(stored?.spec).toEqual({ size: 3, color: 'red', extra: { anything: { goes: 1 } } });
  });

  it('refuses unknown fields with fieldValidation=Strict (400) and drops them silently with Ignore', async () => {
    const strict = await failure(
      c.custom.createNamespacedCustomObject({
        group: GROUP,
        version: 'v1',
        namespace: NS,
        plural: 'widgets',
        fieldValidation: 'Strict',
        body: widget('strict', { size: 1, bogus: 1 }),
      }),
    );
    expect(strict.code).toBe(400);
    expect(strict.status.reason).toBe('BadRequest');
    expect(strict.status.message).toBe(
      'Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "spec.bogus"',
    );
    expect((await failure(getWidget('strict'))).code).toBe(404);
    const ignored = await c.custom.createNamespacedCustomObjectWithHttpInfo({
      group: GROUP,
      version: 'v1',
      namespace: NS,
      plural: 'widgets',
      fieldValidation: 'Ignore',
      body: widget('ignored', { size: 1, bogus: 1 }),
    });
    expect(ignored.headers.warning).toBeUndefined();
    expect((ignored.data as any).spec).toEqual({ size: 1, color: 'red' });
  });

  it('reads, lists by label and serves every served version of the same object', async () => {
    await createWidget('beta', { size: 2, color: 'blue' }, { tier: 'gold' });
    await createWidget('gamma', { size: 4 }, { tier: 'silver' });
    const gold = (await c.custom.listNamespacedCustomObject({
      group: GROUP,
      version: 'v1',
      namespace: NS,
      plural: 'widgets',
      labelSelector: 'tier=gold',
    })) as any;
    expect(gold.kind).toBe('WidgetList');
    expect(gold.apiVersion).toBe(`${GROUP}/v1`);
    expect(gold.items.map((i: any) => i.metadata.name)).toEqual(['beta']);
    const viaBeta = await getWidget('beta', 'v1beta1');
    expect(viaBeta.apiVersion).toBe(`${GROUP}/v1beta1`);
    expect(viaBeta.spec).toEqual({ size: 2, color: 'blue' });
    const all = (await c.custom.listCustomObjectForAllNamespaces({
      group: GROUP,
      version: 'v1',
      plural: 'widgets',
    })) as any;
    expect(all.items.map((i: any) => i.metadata.name)).toEqual(
      expect.arrayContaining(['alpha', 'beta', 'gamma']),
    );
    // Written through v1beta1 (no schema constraints), read back through v1.
    await c.custom.createNamespacedCustomObject({
      group: GROUP,
      version: 'v1beta1',
      namespace: NS,
      plural: 'widgets',
      body: {
        apiVersion: `${GROUP}/v1beta1`,
        kind: 'Widget',
        metadata: { name: 'from-beta' },
        spec: { size: 5, legacy: 'x' },
      },
    });
    const asV1 = await getWidget('from-beta');
    expect(asV1.apiVersion).toBe(`${GROUP}/v1`);
    expect(asV1.spec).toEqual({ size: 5, legacy: 'x' });
  });

  it('replaces with optimistic concurrency: 409 on stale, 422 without resourceVersion', async () => {
    const current = await getWidget('beta');
    const replaced = (await c.custom.replaceNamespacedCustomObject({
      group: GROUP,
      version: 'v1',
      namespace: NS,
      plural: 'widgets',
      name: 'beta',
      body: { ...current, spec: { ...current.spec, size: 6 } },
    })) as any;
    expect(replaced.spec.size).toBe(6);
    expect(replaced.metadata.generation).toBe(2);
    expect(Number(replaced.metadata.resourceVersion)).toBeGreaterThan(
      Number(current.metadata.resourceVersion),
    );

    const stale = await failure(
      c.custom.replaceNamespacedCustomObject({
        group: GROUP,
        version: 'v1',
        namespace: NS,
        plural: 'widgets',
        name: 'beta',
        body: { ...current, spec: { ...current.spec, size: 7 } },
      }),
    );
    expect(stale.code).toBe(409);
    expect(stale.status).toMatchObject({
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on widgets.example.dev "beta": the object has been modified; please apply your changes to the latest version and try again',
      details: { name: 'beta', group: GROUP, kind: 'widgets' },
    });

    const noRv = await failure(
      c.custom.replaceNamespacedCustomObject({
        group: GROUP,
        version: 'v1',
        namespace: NS,
        plural: 'widgets',
        name: 'beta',
        body: { ...current, metadata: { name: 'beta' } },
      }),
    );
    expect(noRv.code).toBe(422);
    expect(noRv.status.reason).toBe('Invalid');
    expect(noRv.status.details?.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'metadata.resourceVersion',
        message: expect.stringContaining('must be specified for an update'),
      },
    ]);
  });

  it('applies merge patches and JSON patches with the right content types, refusing strategic merge', async () => {
    const merged = (await c.custom.patchNamespacedCustomObject(
      {
        group: GROUP,
        version: 'v1',
        namespace: NS,
        plural: 'widgets',
        name: 'gamma',
        body: {
          metadata: { labels: { tier: null, patched: 'yes' } },
          spec: { color: 'blue', tags: ['a'] },
        },
      },
      asMergePatch(),
    )) as any;
    expect(merged.metadata.labels).toEqual({ patched: 'yes' });
    expect(merged.spec).toEqual({ size: 4, color: 'blue', tags: ['a'] });
    expect(merged.metadata.generation).toBe(2);

    const jsonPatched = (await c.custom.patchNamespacedCustomObject(
      {
        group: GROUP,
        version: 'v1',
        namespace: NS,
        plural: 'widgets',
        name: 'gamma',
        body: [
          { op: 'test', path: '/spec/size', value: 4 },
          { op: 'replace', path: '/spec/size', value: 5 },
          { op: 'add', path: '/spec/tags/-', value: 'b' },
          { op: 'remove', path: '/metadata/labels/patched' },
        ],
      },
      asJsonPatch(),
    )) as any;
    expect(jsonPatched.spec).toEqual({ size: 5, color: 'blue', tags: ['a', 'b'] });
    expect(jsonPatched.metadata.labels).toEqual({});
    expect(jsonPatched.metadata.generation).toBe(3);

    const failedTest = await failure(
      c.custom.patchNamespacedCustomObject(
        {
          group: GROUP,
          version: 'v1',
          namespace: NS,
          plural: 'widgets',
          name: 'gamma',
          body: [{ op: 'test', path: '/spec/size', value: 99 }],
        },
        asJsonPatch(),
      ),
    );
    expect(failedTest.code).toBe(422);
    expect(failedTest.status.message).toBe(
      'the server rejected our request due to an error in our request: testing value /spec/size failed',
    );

    const strategic = await failure(
      c.custom.patchNamespacedCustomObject(
        {
          group: GROUP,
          version: 'v1',
          namespace: NS,
          plural: 'widgets',
          name: 'gamma',
          body: { spec: { size: 1 } },
        },
        asStrategicMergePatch(),
      ),
    );
    expect(strategic.code).toBe(415);
    expect(strategic.status.reason).toBe('UnsupportedMediaType');

    const invalidByPatch = await failure(
      c.custom.patchNamespacedCustomObject(
        {
          group: GROUP,
          version: 'v1',
          namespace: NS,
          plural: 'widgets',
          name: 'gamma',
          body: { spec: { tags: ['x', 'y', 'z'] } },
        },
        asMergePatch(),
      ),
    );
    expect(invalidByPatch.code).toBe(422);
    expect(invalidByPatch.status.details?.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.tags',
        message: 'Invalid value: 3: must have at most 2 items',
      },
    ]);
    expect((await getWidget('gamma')).spec.tags).toEqual(['a', 'b']);
  });

  it('deletes with a Success Status naming the resource', async () => {
    const w = await createWidget('doomed', { size: 1 });
    const status = (await c.custom.deleteNamespacedCustomObject({
      group: GROUP,
      version: 'v1',
      namespace: NS,
      plural: 'widgets',
      name: 'doomed',
    })) as any;
    expect(status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name: 'doomed', group: GROUP, kind: 'widgets', uid: w.metadata.uid },
    });
    const missing = await failure(getWidget('doomed'));
    expect(missing.code).toBe(404);
    expect(missing.status.message).toBe('widgets.example.dev "doomed" not found');
  });
});

describe('structural schema validation', () => {
  it.each<
    [string, Record<string, unknown>, Array<{ reason: string; field: string; message: string }>]
  >([
    [
      'a value below the minimum',
      { size: 0 },
      [
        {
          reason: 'FieldValueInvalid',
          field: 'spec.size',
          message: 'Invalid value: 0: spec.size in body should be greater than or equal to 1',
        },
      ],
    ],
    [
      'a value above the maximum',
      { size: 11 },
      [
        {
          reason: 'FieldValueInvalid',
          field: 'spec.size',
          message: 'Invalid value: 11: spec.size in body should be less than or equal to 10',
        },
      ],
    ],
    [
      'a missing required field',
      { color: 'red' },
      [{ reason: 'FieldValueRequired', field: 'spec.size', message: 'Required value' }],
    ],
    [
      'a value outside the enum',
      { size: 1, color: 'green' },
      [
        {
          reason: 'FieldValueNotSupported',
          field: 'spec.color',
          message: 'Unsupported value: "green": supported values: "red", "blue"',
        },
      ],
    ],
    [
      'a value of the wrong type',
      { size: 'big' },
      [
        {
          reason: 'FieldValueTypeInvalid',
          field: 'spec.size',
          message: 'Invalid value: "string": spec.size in body must be of type integer: "string"',
        },
      ],
    ],
    [
      'a string not matching the pattern',
      { size: 1, owner: 'Bob!' },
      [
        {
          reason: 'FieldValueInvalid',
          field: 'spec.owner',
          message: 'Invalid value: "Bob!": spec.owner in body should match \'^[a-z]+$\'',
        },
      ],
    ],
  ])('rejects %s with the API server’s message and causes', async (_what, spec, causes) => {
    const { code, status } = await failure(createWidget('invalid', spec));
    expect(code).toBe(422);
    const rendered = causes.map(x => `${x.field}: ${x.message}`);
    expect(status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `Widget.example.dev "invalid" is invalid: ${rendered.length === 1 ? rendered[0] : `[${rendered.join(', ')}]`}`,
      reason: 'Invalid',
      details: { name: 'invalid', group: GROUP, kind: 'Widget', causes },
      code: 422,
    });
  });

  it('lists every problem of one object in a single 422', async () => {
    const { status } = await failure(createWidget('many', { size: 0, color: 'green', tags: [1] }));
    expect(status.message).toBe(
      'Widget.example.dev "many" is invalid: [spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1, spec.color: Unsupported value: "green": supported values: "red", "blue", spec.tags[0]: Invalid value: "integer": spec.tags[0] in body must be of type string: "integer"]',
    );
    expect(status.details?.causes?.map(x => x.field)).toEqual([
      'spec.size',
      'spec.color',
      'spec.tags[0]',
    ]);
  });

  it('takes schema changes into account as soon as the CRD is updated', async () => {
    const crd = await c.apiextensions.readCustomResourceDefinition({ name: `widgets.${GROUP}` });
    const next = structuredClone(crd) as k8s.V1CustomResourceDefinition;
    const v1 = next.spec.versions.find(v => v.name === 'v1');
    const specProps = v1?.schema?.openAPIV3Schema?.properties?.spec?.properties;
    if (!specProps) throw new Error('schema missing');
    specProps.shape = { type: 'string', _enum: ['round', 'square'] };
    const updated = await c.apiextensions.replaceCustomResourceDefinition({
      name: `widgets.${GROUP}`,
      body: next,
    });
    expect(updated.metadata?.generation).toBe(2);
    const w = await createWidget('shaped', { size: 1, shape: 'round' });
    expect(w.spec.shape).toBe('round');
    const bad = await failure(createWidget('misshaped', { size: 1, shape: 'oval' }));
    expect(bad.status.details?.causes?.[0]).toMatchObject({
      reason: 'FieldValueNotSupported',
      field: 'spec.shape',
    });
  });
});

describe('status and scale subresources', () => {
  it('writes status only through /status and spec only through the main resource', async () => {
    const w = await createWidget('sub', { size: 2, replicas: 1 });
    const statusWrite = (await c.custom.replaceNamespacedCustomObjectStatus({
      group: GROUP,
      version: 'v1',
      namespace: NS,
      plural: 'widgets',
      name: 'sub',
      body: {
        ...w,
        spec: { size: 9, replicas: 1 },
        metadata: { ...w.metadata, labels: { via: 'status' } },
        status: { phase: 'Ready', replicas: 1 },
      },
    })) as any;
    expect(statusWrite.status).toEqual({ phase: 'Ready', replicas: 1 });
    expect(statusWrite.spec).toEqual({ size: 2, replicas: 1, color: 'red' });
    expect(statusWrite.metadata.labels).toBeUndefined();
    expect(statusWrite.metadata.generation).toBe(1);

    const mainWrite = (await c.custom.patchNamespacedCustomObject(
      {
        group: GROUP,
        version: 'v1',
        namespace: NS,
        plural: 'widgets',
        name: 'sub',
        body: { status: { phase: 'Hacked' }, spec: { size: 3 } },
      },
      asMergePatch(),
    )) as any;
    expect(mainWrite.status).toEqual({ phase: 'Ready', replicas: 1 });
    expect(mainWrite.spec.size).toBe(3);
    expect(mainWrite.metadata.generation).toBe(2);

    const labelled = (await c.custom.patchNamespacedCustomObject(
      {
        group: GROUP,
        version: 'v1',
        namespace: NS,
        plural: 'widgets',
        name: 'sub',
        body: { metadata: { labels: { a: 'b' } } },
      },
      asMergePatch(),
    )) as any;
    expect(labelled.metadata.generation).toBe(2);

    const statusPatch = (await c.custom.patchNamespacedCustomObjectStatus(
      {
        group: GROUP,
        version: 'v1',
        namespace: NS,
        plural: 'widgets',
        name: 'sub',
        body: { status: { phase: 'Degraded' } },
      },
      asMergePatch(),
    )) as any;
    expect(statusPatch.status).toEqual({ phase: 'Degraded', replicas: 1 });
    expect(statusPatch.metadata.generation).toBe(2);

    const badStatus = await failure(
      c.custom.patchNamespacedCustomObjectStatus(
        {
          group: GROUP,
          version: 'v1',
          namespace: NS,
          plural: 'widgets',
          name: 'sub',
          body: { status: { replicas: 'many' } },
        },
        asMergePatch(),
      ),
    );
    expect(badStatus.code).toBe(422);
    expect(badStatus.status.details?.causes?.[0]?.field).toBe('status.replicas');

    const read = (await c.custom.getNamespacedCustomObjectStatus({
      group: GROUP,
      version: 'v1',
      namespace: NS,
      plural: 'widgets',
      name: 'sub',
    })) as any;
    expect(read.status.phase).toBe('Degraded');
  });

  it('reads and writes spec.replicas through /scale', async () => {
    await createWidget('scaled', { size: 1, replicas: 2 });
    await c.custom.patchNamespacedCustomObjectStatus(
      {
        group: GROUP,
        version: 'v1',
        namespace: NS,
        plural: 'widgets',
        name: 'scaled',
        body: { status: { replicas: 2, selector: 'app=scaled' } },
      },
      asMergePatch(),
    );
    const scale = (await c.custom.getNamespacedCustomObjectScale({
      group: GROUP,
      version: 'v1',
      namespace: NS,
      plural: 'widgets',
      name: 'scaled',
    })) as any;
    expect(scale).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: { name: 'scaled', namespace: NS },
      spec: { replicas: 2 },
      status: { replicas: 2, selector: 'app=scaled' },
    });
    const patched = (await c.custom.patchNamespacedCustomObjectScale(
      {
        group: GROUP,
        version: 'v1',
        namespace: NS,
        plural: 'widgets',
        name: 'scaled',
        body: { spec: { replicas: 4 } },
      },
      asMergePatch(),
    )) as any;
    expect(patched.spec.replicas).toBe(4);
    expect((await getWidget('scaled')).spec.replicas).toBe(4);
    const replaced = (await c.custom.replaceNamespacedCustomObjectScale({
      group: GROUP,
      version: 'v1',
      namespace: NS,
      plural: 'widgets',
      name: 'scaled',
      body: { ...patched, spec: { replicas: 0 } },
    })) as any;
    expect(replaced.spec.replicas).toBe(0);
    const w = await getWidget('scaled');
    expect(w.spec.replicas).toBe(0);
    expect(w.metadata.generation).toBe(3);
  });
});

describe('printer columns', () => {
  it('renders additionalPrinterColumns as a Table', async () => {
    await createWidget('printed', { size: 7, color: 'blue' });
    await c.custom.patchNamespacedCustomObjectStatus(
      {
        group: GROUP,
        version: 'v1',
        namespace: NS,
        plural: 'widgets',
        name: 'printed',
        body: { status: { phase: 'Ready' } },
      },
      asMergePatch(),
    );
    const res = await raw(emulator, 'GET', `/apis/${GROUP}/v1/namespaces/${NS}/widgets/printed`, {
      headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' },
    });
    expect(res.status).toBe(200);
    expect(res.json.kind).toBe('Table');
    expect(res.json.apiVersion).toBe('meta.k8s.io/v1');
    expect(res.json.columnDefinitions.map((d: any) => [d.name, d.type, d.priority])).toEqual([
      ['Name', 'string', 0],
      ['Phase', 'string', 0],
      ['Size', 'integer', 0],
      ['Color', 'string', 1],
    ]);
    expect(res.json.rows[0].cells).toEqual(['printed', 'Ready', 7, 'blue']);
    expect(res.json.rows[0].object).toMatchObject({
      kind: 'PartialObjectMetadata',
      metadata: { name: 'printed' },
    });
  });
});

describe('cluster-scoped custom resources', () => {
  it('serves cluster-scoped objects without a namespace, preserving unknown fields where the schema says so', async () => {
    const g = (await c.custom.createClusterCustomObject({
      group: GROUP,
      version: 'v1',
      plural: 'gadgets',
      body: {
        apiVersion: `${GROUP}/v1`,
        kind: 'Gadget',
        metadata: { name: 'g1', namespace: 'ignored' },
        spec: { mode: 'fast', config: { free: { form: true } }, unknown: 1 },
        status: { ready: true },
      },
    })) as any;
    expect(g.metadata.namespace).toBeUndefined();
    expect(g.spec).toEqual({ mode: 'fast', config: { free: { form: true } } });
    // Without a status subresource, status is written with the object.
    expect(g.status).toEqual({ ready: true });
    const listed = (await c.custom.listClusterCustomObject({
      group: GROUP,
      version: 'v1',
      plural: 'gadgets',
    })) as any;
    expect(listed.items.map((i: any) => i.metadata.name)).toEqual(['g1']);
    const patched = (await c.custom.patchClusterCustomObject(
      {
        group: GROUP,
        version: 'v1',
        plural: 'gadgets',
        name: 'g1',
        body: { spec: { mode: 'slow' } },
      },
      asMergePatch(),
    )) as any;
    expect(patched.spec.mode).toBe('slow');
    expect(patched.metadata.generation).toBe(2);
    // Without a status subresource, status is part of what generation tracks.
    const statusChanged = (await c.custom.patchClusterCustomObject(
      {
        group: GROUP,
        version: 'v1',
        plural: 'gadgets',
        name: 'g1',
        body: { status: { ready: false } },
      },
      asMergePatch(),
    )) as any;
    expect(statusChanged.status).toEqual({ ready: false });
    expect(statusChanged.metadata.generation).toBe(3);
    const relabelled = (await c.custom.patchClusterCustomObject(
      {
        group: GROUP,
        version: 'v1',
        plural: 'gadgets',
        name: 'g1',
        body: { metadata: { labels: { a: 'b' } } },
      },
      asMergePatch(),
    )) as any;
    expect(relabelled.metadata.generation).toBe(3);
    const namespaced = await raw(emulator, 'GET', `/apis/${GROUP}/v1/namespaces/${NS}/gadgets/g1`);
    expect(namespaced.status).toBe(404);
    expect(
      (
        await failure(
          c.custom.getClusterCustomObjectStatus({
            group: GROUP,
            version: 'v1',
            plural: 'gadgets',
            name: 'g1',
          }),
        )
      ).code,
    ).toBe(404);
  });
});

describe('deleting a CRD', () => {
  it('removes its objects and stops serving its resources', async () => {
    const crd = await c.apiextensions.createCustomResourceDefinition({
      body: {
        metadata: { name: `temps.${GROUP}` },
        spec: {
          group: GROUP,
          scope: 'Namespaced',
          names: { plural: 'temps', kind: 'Temp' },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: {
                openAPIV3Schema: { type: 'object', x_kubernetes_preserve_unknown_fields: true },
              },
            },
          ],
        },
      },
    });
    expect(crd.metadata?.name).toBe(`temps.${GROUP}`);
    await c.custom.createNamespacedCustomObject({
      group: GROUP,
      version: 'v1',
      namespace: NS,
      plural: 'temps',
      body: { apiVersion: `${GROUP}/v1`, kind: 'Temp', metadata: { name: 't1' }, data: 1 },
    });
    expect(emulator.peek(GROUP, 'temps', NS, 't1')).toBeDefined();
    await c.apiextensions.deleteCustomResourceDefinition({ name: `temps.${GROUP}` });
    await eventually(
      async () =>
        (await raw(emulator, 'GET', `/apis/${GROUP}/v1/namespaces/${NS}/temps`)).status === 404,
    );
    const res = await raw(emulator, 'GET', `/apis/${GROUP}/v1/namespaces/${NS}/temps/t1`);
    expect(res.json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'the server could not find the requested resource',
      reason: 'NotFound',
      code: 404,
    });
    expect(emulator.peek(GROUP, 'temps', NS, 't1')).toBeUndefined();
    const v1 = await c.custom.getAPIResources({ group: GROUP, version: 'v1' });
    expect(v1.resources.map(r => r.name)).not.toContain('temps');
    // The other CRDs of the group are unaffected.
    expect((await getWidget('alpha')).spec.size).toBe(3);
  });
});
