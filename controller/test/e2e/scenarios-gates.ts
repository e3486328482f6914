// Gates, mirroring and deadlines (spec 2.6 mirroring, 2.9 rollback reasons, 2.12 gates).
import { canary, standardMetrics } from './manifests.js';
import type { ScenarioContext } from './scenario-context.js';
import type { Scenario } from './steps.js';

/** Webhooks gating: a closed confirm-rollout gate parks the release in Waiting until opened. */
export async function gatedRollout(ctx: ScenarioContext, s: Scenario): Promise<void> {
  const { hooks } = ctx.env;
  await ctx.apply(
    s,
    canary(s.namespace, s.name, {
      interval: '10s',
      threshold: 5,
      maxWeight: 20,
      stepWeight: 10,
      metrics: standardMetrics(s.namespace),
      webhooks: [
        { name: 'gate', type: 'confirm-rollout', url: `${hooks.url}/gate/check` },
        { name: 'promotion-gate', type: 'confirm-promotion', url: `${hooks.url}/gate/approve` },
        { name: 'post', type: 'post-rollout', url: `${hooks.url}/post` },
      ],
      alerts: [{ name: 'slack', severity: 'warn', providerRef: { name: 'slack' } }],
    }),
  );
  await s.waitForPhase('Initialized');
  await s.release('6.0.1');
  await s.waitForPhase('Waiting');
  const ref = `${s.name}.${s.namespace}`;
  await s.waitForEvent(new RegExp(`^Halt ${ref} advancement waiting for approval gate$`));
  await s.waitUntil('the waiting alert', () =>
    ctx.env.slack.textsFor(ref).includes('Canary is waiting for approval.'),
  );
  expect(s.deployment()?.spec?.replicas).toBe(0);
  expect(hooks.callsFor(s.namespace, s.name, '/gate/check')[0]?.body.phase).toBe('Initialized');
  // Open the gate the way a person would with flagger-loadtester: POST /gate/open.
  await fetch(`${hooks.url}/gate/open`, {
    method: 'POST',
    body: JSON.stringify({ name: s.name, namespace: s.namespace }),
  });
  await s.waitForEvent(/^Confirm-rollout check gate passed$/);
  await s.waitForPhase('Succeeded', 150_000);
  expect(s.imageOf(`${s.name}-primary`)).toBe('ghcr.io/stefanprodan/podinfo:6.0.1');
  await s.waitForEvent(/^Post-rollout check post passed$/);
  const post = hooks.callsFor(s.namespace, s.name, '/post');
  expect(post.map(c => c.body.phase)).toEqual(['Succeeded']);
}

/** A rollback webhook that answers 200 rolls the canary back at once. */
export async function manualRollback(ctx: ScenarioContext, s: Scenario): Promise<void> {
  const { hooks } = ctx.env;
  await ctx.apply(
    s,
    canary(s.namespace, s.name, {
      interval: '10s',
      threshold: 5,
      maxWeight: 50,
      stepWeight: 10,
      metrics: standardMetrics(s.namespace),
      webhooks: [{ name: 'rollback', type: 'rollback', url: `${hooks.url}/rollback/check` }],
    }),
  );
  await s.waitForPhase('Initialized');
  await s.release('6.0.1');
  await s.waitUntil('weight 10', () => (s.canary?.status?.canaryWeight ?? 0) >= 10);
  hooks.openRollback(s.namespace, s.name);
  await s.waitForPhase('Failed');
  const ref = `${s.name}.${s.namespace}`;
  await s.waitForEvent(new RegExp(`^Canary failed! Scaling down ${ref}$`));
  expect(await s.events()).toEqual(
    expect.arrayContaining([
      'Rollback check rollback passed',
      `Rolling back ${ref} manual webhook invoked`,
    ]),
  );
  expect(s.imageOf(`${s.name}-primary`)).toBe('ghcr.io/stefanprodan/podinfo:6.0.0');
}

/** Mirroring (2.6): one mirrored step at 100/0, then weighted steps, then promotion. */
export async function mirroring(ctx: ScenarioContext, s: Scenario): Promise<void> {
  await ctx.apply(
    s,
    canary(s.namespace, s.name, {
      interval: '10s',
      threshold: 5,
      maxWeight: 40,
      stepWeight: 20,
      mirror: true,
      mirrorWeight: 50,
      metrics: standardMetrics(s.namespace),
    }),
  );
  await s.waitForPhase('Initialized');
  await s.release('6.0.1');
  const mirrored = await s.waitUntil('the mirror step', () => {
    const route = s.virtualService?.spec.http?.[0];
    return route?.mirror ? route : undefined;
  });
  expect(mirrored.mirror).toEqual({ host: `${s.name}-canary` });
  expect(mirrored.mirrorPercentage).toEqual({ value: 50 });
  expect(mirrored.route?.map(d => d.weight)).toEqual([100, 0]);
  const shifted = await s.waitUntil('the first weighted step', () => {
    const route = s.virtualService?.spec.http?.[0];
    return route && route.route?.[1]?.weight === 20 ? route : undefined;
  });
  expect(shifted.mirror).toBeUndefined();
  await s.waitForPhase('Succeeded', 150_000);
  expect(s.imageOf(`${s.name}-primary`)).toBe('ghcr.io/stefanprodan/podinfo:6.0.1');
}

/** Progress deadline (2.4): a canary whose pods never get ready is rolled back, with an alert. */
export async function progressDeadline(ctx: ScenarioContext, s: Scenario): Promise<void> {
  await ctx.apply(
    s,
    canary(
      s.namespace,
      s.name,
      {
        interval: '10s',
        threshold: 5,
        maxWeight: 50,
        stepWeight: 10,
        metrics: standardMetrics(s.namespace),
        alerts: [{ name: 'slack', severity: 'error', providerRef: { name: 'slack' } }],
      },
      { progressDeadlineSeconds: 15 },
    ),
    { progressDeadlineSeconds: 15 },
  );
  await s.waitForPhase('Initialized');
  await s.release('6.0.1', { neverReady: true });
  await s.waitForPhase('Failed', 120_000);
  const ref = `${s.name}.${s.namespace}`;
  await s.waitForEvent(new RegExp(`^Canary failed! Scaling down ${ref}$`));
  const events = await s.events();
  expect(events.some(e => e.startsWith(`Rolling back ${ref} progress deadline exceeded`))).toBe(
    true,
  );
  expect(s.imageOf(`${s.name}-primary`)).toBe('ghcr.io/stefanprodan/podinfo:6.0.0');
  await s.waitUntil('the deadline alert', () =>
    ctx.env.slack.textsFor(ref).includes('Progress deadline exceeded'),
  );
}

/** `analysis.judge` (Aviary addition): a canary ten times slower than the primary fails the comparison. */
export async function judged(ctx: ScenarioContext, s: Scenario): Promise<void> {
  await ctx.apply(
    s,
    canary(s.namespace, s.name, {
      interval: '10s',
      threshold: 2,
      maxWeight: 50,
      stepWeight: 10,
      metrics: standardMetrics(s.namespace),
      judge: {
        type: 'compare',
        metrics: [{ name: 'latency', direction: 'lowerIsBetter', maxRelativeDegradation: 50 }],
      },
    }),
  );
  await s.waitForPhase('Initialized');
  // Within the 500 ms threshold, but far slower than the primary's 20 ms.
  ctx.env.exporter.setTraffic({
    namespace: s.namespace,
    workload: s.name,
    rps: 20,
    errorRatio: 0,
    latencyMs: 200,
  });
  await s.release('6.0.1');
  const halt = await s.waitForEvent(/advancement canary worse than primary: /);
  expect(halt).toMatch(
    new RegExp(
      `^Halt ${s.name}.${s.namespace} advancement canary worse than primary: latency \\d+\\.\\d\\d vs primary \\d+\\.\\d\\d \\(more than 50% worse\\)$`,
    ),
  );
  await s.waitForPhase('Failed');
  expect(s.imageOf(`${s.name}-primary`)).toBe('ghcr.io/stefanprodan/podinfo:6.0.0');
}
