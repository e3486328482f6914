import { configMap, lookup, NS, secret, target, targetConfigs } from './__fixtures__/objects.js';
import {
  configChecksum,
  configIndexKey,
  configIndexKeys,
  configRefs,
  isTrackingDisabled,
  trackConfigs,
  trackedConfigsStatus,
} from './configs.js';
import { workloadOptions } from './options.js';
import type { ConfigMap, Deployment, PodSpec, Secret, TrackedConfig } from './types.js';

const names = (configs: readonly TrackedConfig[]) => configs.map(c => `${c.kind}/${c.name}`).sort();
const tracked = (dep: Deployment, objects: Array<ConfigMap | Secret>, opts = workloadOptions()) => {
  const result = trackConfigs(dep, lookup(objects), opts);
  if ('error' in result) throw new Error(result.error);
  return result.configs;
};

describe('configRefs', () => {
  it('finds every reference: env valueFrom, envFrom, volumes and projected sources, init containers included', () => {
    expect(
      configRefs(target().spec?.template.spec)
        .map(r => `${r.kind}/${r.name}`)
        .sort(),
    ).toEqual([
      'configmap/init-env',
      'configmap/podinfo-config',
      'configmap/podinfo-env',
      'configmap/podinfo-projected',
      'secret/podinfo-projected-secret',
      'secret/podinfo-secret',
      'secret/podinfo-secret-env',
      'secret/podinfo-tls',
    ]);
  });

  it.each([
    ['all references optional', [true, true], true],
    ['one required reference', [true, false], false],
    ['no optional flag', [undefined, undefined], false],
  ])('is optional only when every reference is (%s)', (_name, flags, expected) => {
    const spec: PodSpec = {
      containers: [
        {
          name: 'a',
          env: [
            {
              name: 'X',
              valueFrom: { configMapKeyRef: { name: 'cm', key: 'x', optional: flags[0] } },
            },
          ],
          envFrom: [{ configMapRef: { name: 'cm', optional: flags[1] } }],
        },
      ],
    };
    expect(configRefs(spec)).toEqual([{ kind: 'configmap', name: 'cm', optional: expected }]);
  });

  it('finds nothing in an empty or missing pod spec', () => {
    expect(configRefs(undefined)).toEqual([]);
    expect(configRefs({ containers: [{ name: 'a' }] })).toEqual([]);
  });
});

describe('isTrackingDisabled', () => {
  it.each([
    [{ 'aviary.dev/config-tracking': 'disabled' }, true],
    [{ 'flagger.app/config-tracking': 'disabled' }, true],
    [{ 'aviary.dev/config-tracking': 'disable' }, true],
    [{ 'aviary.dev/config-tracking': 'enabled' }, false],
    [{ 'other/config-tracking': 'disabled' }, false],
    [undefined, false],
  ])('%j → %s', (annotations, expected) => {
    expect(isTrackingDisabled(annotations ? { annotations } : undefined)).toBe(expected);
  });
});

describe('configChecksum', () => {
  it('is the first 8 bytes of a sha256, as hex, independent of key order', () => {
    expect(configChecksum({ a: '1', b: '2' })).toMatch(/^[0-9a-f]{16}$/);
    expect(configChecksum({ b: '2', a: '1' })).toBe(configChecksum({ a: '1', b: '2' }));
    expect(configChecksum({ a: '1' })).not.toBe(configChecksum({ a: '2' }));
    expect(configChecksum(undefined)).toBe(configChecksum({}));
  });
});

describe('trackConfigs', () => {
  it('tracks every referenced ConfigMap and Secret of a tracked type', () => {
    expect(names(tracked(target(), targetConfigs()))).toEqual([
      'configmap/init-env',
      'configmap/podinfo-config',
      'configmap/podinfo-env',
      'configmap/podinfo-projected',
      'secret/podinfo-projected-secret',
      'secret/podinfo-secret',
      'secret/podinfo-secret-env',
      'secret/podinfo-tls',
    ]);
  });

  it('reports a missing required reference the way Flagger does, naming both objects', () => {
    const objects = targetConfigs().filter(o => o.metadata?.name !== 'podinfo-env');
    expect(trackConfigs(target(), lookup(objects))).toEqual({
      error: `configmap podinfo-env.${NS} not found (referenced by deployment podinfo.${NS})`,
    });
    const noSecret = targetConfigs().filter(o => o.metadata?.name !== 'podinfo-tls');
    expect(trackConfigs(target(), lookup(noSecret))).toEqual({
      error: `secret podinfo-tls.${NS} not found (referenced by deployment podinfo.${NS})`,
    });
  });

  it('skips a missing optional reference', () => {
    const dep = target();
    const volume = dep.spec?.template.spec?.volumes?.[0];
    if (volume?.configMap) volume.configMap.optional = true;
    const objects = targetConfigs().filter(o => o.metadata?.name !== 'podinfo-config');
    expect(names(tracked(dep, objects))).not.toContain('configmap/podinfo-config');
  });

  it.each([
    ['aviary.dev/config-tracking', 'disabled'],
    ['flagger.app/config-tracking', 'disabled'],
  ])('skips objects annotated %s: %s', (key, value) => {
    const objects = targetConfigs().map(o =>
      o.metadata?.name === 'podinfo-env' || o.metadata?.name === 'podinfo-secret'
        ? { ...o, metadata: { ...o.metadata, annotations: { [key]: value } } }
        : o,
    );
    const result = names(tracked(target(), objects));
    expect(result).not.toContain('configmap/podinfo-env');
    expect(result).not.toContain('secret/podinfo-secret');
    expect(result).toHaveLength(6);
  });

  it.each([
    ['Opaque', true],
    ['kubernetes.io/basic-auth', true],
    ['kubernetes.io/ssh-auth', true],
    ['kubernetes.io/tls', true],
    ['kubernetes.io/dockerconfigjson', false],
    ['kubernetes.io/service-account-token', false],
  ])('tracks Secrets of type %s: %s', (type, expected) => {
    const objects = targetConfigs().map(o =>
      o.metadata?.name === 'podinfo-secret' ? secret('podinfo-secret', { a: 'Yg==' }, type) : o,
    );
    expect(names(tracked(target(), objects)).includes('secret/podinfo-secret')).toBe(expected);
  });

  it('treats a Secret without a type as Opaque', () => {
    const objects = targetConfigs().map(o =>
      o.metadata?.name === 'podinfo-secret' ? { ...o, type: undefined } : o,
    );
    expect(names(tracked(target(), objects))).toContain('secret/podinfo-secret');
  });

  it('tracks nothing when config tracking is off, and needs no configs then', () => {
    expect(tracked(target(), [], workloadOptions({ configTracking: false }))).toEqual([]);
  });

  it('changes the checksum when data or binaryData changes', () => {
    const base = tracked(target(), targetConfigs());
    const changed = (replacement: ConfigMap) =>
      tracked(
        target(),
        targetConfigs().map(o => (o.metadata?.name === 'podinfo-env' ? replacement : o)),
      );
    const sum = (configs: TrackedConfig[]) =>
      trackedConfigsStatus(configs)['configmap/podinfo-env'];
    expect(sum(changed(configMap('podinfo-env', { color: 'blue' })))).toBe(sum(base));
    expect(sum(changed(configMap('podinfo-env', { color: 'green' })))).not.toBe(sum(base));
    const binary = { ...configMap('podinfo-env', { color: 'blue' }), binaryData: { b: 'AA==' } };
    expect(sum(changed(binary))).not.toBe(sum(base));
  });
});

describe('trackedConfigsStatus', () => {
  it('keys checksums by configmap/<name> and secret/<name>', () => {
    const status = trackedConfigsStatus(tracked(target(), targetConfigs()));
    expect(Object.keys(status).sort()).toEqual(names(tracked(target(), targetConfigs())));
    expect(status['configmap/podinfo-env']).toBe(configChecksum({ color: 'blue' }));
  });
});

describe('configIndexKeys', () => {
  it('names every referenced config with its namespace, matching configIndexKey', () => {
    const keys = configIndexKeys(target());
    expect(keys).toHaveLength(8);
    expect(keys).toContain(configIndexKey('configmap', NS, 'podinfo-env'));
    expect(keys).toContain(configIndexKey('secret', NS, 'podinfo-tls'));
    expect(configIndexKey('secret', NS, 'podinfo-tls')).toBe(`${NS}/secret/podinfo-tls`);
  });
});
