import { configMap, lookup, NS, target, targetConfigs } from './__fixtures__/objects.js';
import { trackConfigs, trackedConfigsStatus } from './configs.js';
import {
  missingTarget,
  observeDeployment,
  observePrimary,
  observeTarget,
  selectorLabelOf,
} from './observe.js';
import { workloadOptions } from './options.js';
import { templateRevision } from './revision.js';
import type { Deployment } from './types.js';

const withSelector = (matchLabels: Record<string, string>): Deployment => {
  const dep = target();
  if (dep.spec) dep.spec.selector = { matchLabels };
  return dep;
};

describe('selectorLabelOf', () => {
  it.each([
    [{ app: 'a' }, { label: 'app', value: 'a' }],
    [{ name: 'n' }, { label: 'name', value: 'n' }],
    [{ 'app.kubernetes.io/name': 'k' }, { label: 'app.kubernetes.io/name', value: 'k' }],
    // The first of the configured labels wins, whatever the order in matchLabels.
    [
      { 'app.kubernetes.io/name': 'k', name: 'n', app: 'a' },
      { label: 'app', value: 'a' },
    ],
    [
      { name: 'n', 'app.kubernetes.io/name': 'k' },
      { label: 'name', value: 'n' },
    ],
  ])('%j → %j', (matchLabels, expected) => {
    expect(selectorLabelOf(withSelector(matchLabels))).toEqual(expected);
  });

  it('explains, as Flagger does, when none of the selector labels is present', () => {
    expect(selectorLabelOf(withSelector({ tier: 'web' }))).toEqual({
      error: `deployment podinfo.${NS} spec.selector.matchLabels must contain one of [app name app.kubernetes.io/name]`,
    });
  });

  it('uses the configured selector labels', () => {
    const options = workloadOptions({ selectorLabels: 'tier, app' });
    expect(selectorLabelOf(withSelector({ app: 'a', tier: 'web' }), options)).toEqual({
      label: 'tier',
      value: 'web',
    });
  });
});

describe('observeDeployment', () => {
  it('reads generation, replicas and conditions', () => {
    const dep: Deployment = {
      ...target(),
      metadata: { name: 'd', generation: 4 },
      status: {
        observedGeneration: 3,
        replicas: 3,
        updatedReplicas: 2,
        readyReplicas: 1,
        availableReplicas: 1,
        conditions: [
          {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
            lastUpdateTime: '2030-01-01T00:00:00Z',
            lastTransitionTime: '2030-01-01T00:00:01Z',
          },
          { type: 'Available', status: 'Weird' },
        ],
      },
    };
    expect(observeDeployment(dep)).toEqual({
      generation: 4,
      observedGeneration: 3,
      specReplicas: 2,
      replicas: 3,
      updatedReplicas: 2,
      readyReplicas: 1,
      availableReplicas: 1,
      conditions: [
        {
          type: 'Progressing',
          status: 'False',
          reason: 'ProgressDeadlineExceeded',
          lastUpdateTime: '2030-01-01T00:00:00Z',
          lastTransitionTime: '2030-01-01T00:00:01Z',
        },
        { type: 'Available', status: 'Unknown' },
      ],
    });
  });

  it('defaults what the API server has not written yet (replicas unset means 1)', () => {
    const dep = target();
    delete dep.spec?.replicas;
    expect(observeDeployment(dep)).toEqual({
      generation: 0,
      observedGeneration: 0,
      specReplicas: 1,
      replicas: 0,
      updatedReplicas: 0,
      readyReplicas: 0,
      availableReplicas: 0,
      conditions: [],
    });
  });
});

describe('observeTarget', () => {
  it('adds the template revision and the tracked configs', () => {
    const configs = targetConfigs();
    const observed = observeTarget(target(), lookup(configs));
    const expected = trackConfigs(target(), lookup(configs));
    if ('error' in observed || 'error' in expected) throw new Error('unexpected error');
    expect(observed.revision).toBe(templateRevision(target().spec?.template));
    expect(observed.trackedConfigs).toEqual(trackedConfigsStatus(expected.configs));
    expect(Object.keys(observed.trackedConfigs)).toHaveLength(8);
    expect(observed.specReplicas).toBe(2);
  });

  it('keeps the revision when only config data changes (configs are tracked separately)', () => {
    const changed = targetConfigs().map(o =>
      o.metadata?.name === 'podinfo-env' ? configMap('podinfo-env', { color: 'green' }) : o,
    );
    const before = observeTarget(target(), lookup(targetConfigs()));
    const after = observeTarget(target(), lookup(changed));
    if ('error' in before || 'error' in after) throw new Error('unexpected error');
    expect(after.revision).toBe(before.revision);
    expect(after.trackedConfigs['configmap/podinfo-env']).not.toBe(
      before.trackedConfigs['configmap/podinfo-env'],
    );
  });

  it('reports a target without selector label, or with a missing config, as an error', () => {
    expect(observeTarget(withSelector({ tier: 'x' }), lookup(targetConfigs()))).toEqual({
      error: expect.stringContaining('spec.selector.matchLabels must contain one of'),
    });
    expect(observeTarget(target(), lookup([]))).toEqual({
      error: expect.stringContaining('not found (referenced by deployment podinfo'),
    });
  });
});

describe('observePrimary', () => {
  it('reads the revision stamp', () => {
    const dep = target();
    dep.metadata = { ...dep.metadata, annotations: { 'aviary.dev/revision': 'abc123' } };
    expect(observePrimary(dep).revision).toBe('abc123');
  });

  it('leaves the revision undefined on an unstamped primary (created by Flagger, say)', () => {
    const observed = observePrimary(target());
    expect(observed).not.toHaveProperty('revision');
    expect(observed.specReplicas).toBe(2);
  });
});

describe('missingTarget', () => {
  it('names the Deployment', () => {
    expect(missingTarget(NS, 'podinfo')).toEqual({ error: `deployment podinfo.${NS} not found` });
  });
});
