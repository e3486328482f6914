// Progressive-canary scenarios (spec 6.3 E1, E2, E10, and the failure paths of 2.9 / 2.12),
// each driving one canary in the shared namespace to its end and checking what a user sees.
import { SERVICES } from '../../src/kube/index.js';
import type { Service } from '../../src/router/index.js';
import { canary, standardMetrics } from './manifests.js';
import type { Scenario } from './steps.js';
import type { ScenarioContext } from './scenario-context.js';

/** E1 (initialisation) and E2 (a new version promoted through 10, 20, 30 %). */
export async function progressiveCanary(ctx: ScenarioContext, s: Scenario): Promise<void> {
  const { hooks } = ctx.env;
  await ctx.apply(
    s,
    canary(
      s.namespace,
      s.name,
      {
        interval: '10s',
        threshold: 5,
        maxWeight: 30,
        stepWeight: 10,
        metrics: standardMetrics(s.namespace),
        webhooks: [
          {
            name: 'load-test',
            url: `${hooks.url}/`,
            timeout: '5s',
            metadata: {
              type: 'cmd',
              cmd: `hey -z 1m -q 10 -c 2 http://${s.name}-canary.${s.namespace}:9898/`,
            },
          },
          { name: 'events', type: 'event', url: `${hooks.url}/events` },
        ],
        alerts: [{ name: 'slack', severity: 'info', providerRef: { name: 'slack' } }],
      },
      {
        service: {
          port: 9898,
          apex: {
            annotations: { 'test.aviary.dev/kind': 'apex' },
            labels: { 'test-label': 'apex' },
          },
          headers: { request: { add: { 'x-envoy-upstream-rq-timeout-ms': '15000' } } },
        },
      },
    ),
  );
  // E1: Initialized, the apex Service carries the apex metadata and selects the primary pods.
  const initialized = await s.waitForPhase('Initialized');
  expect(initialized.status?.conditions).toEqual([
    expect.objectContaining({ type: 'Promoted', status: 'True', reason: 'Initialized' }),
  ]);
  const apex = s.peek<Service>(SERVICES, s.name);
  expect(apex?.spec.selector).toEqual({ app: `${s.name}-primary` });
  expect(apex?.metadata.annotations?.['test.aviary.dev/kind']).toBe('apex');
  expect(apex?.metadata.labels?.['test-label']).toBe('apex');
  expect(s.virtualService?.spec.http?.[0]?.headers?.request?.add).toEqual({
    'x-envoy-upstream-rq-timeout-ms': '15000',
  });
  await s.waitUntil('target scaled to zero', () => s.deployment()?.spec?.replicas === 0);
  await s.waitUntil('the initialization alert', () =>
    ctx.env.slack
      .textsFor(`${s.name}.${s.namespace}`)
      .includes('New Deployment detected, initialization completed.'),
  );

  // E2: a new version goes through the steps and is promoted.
  await s.release('6.0.1');
  await s.waitForPhase('Succeeded', 180_000);
  expect(s.imageOf(`${s.name}-primary`)).toBe('ghcr.io/stefanprodan/podinfo:6.0.1');
  expect(s.deployment()?.spec?.replicas).toBe(0);
  const ref = `${s.name}.${s.namespace}`;
  // Events follow the status commit: wait for the last one of the tick before reading them all.
  await s.waitForEvent(new RegExp(`^Promotion completed! Scaling down ${ref}$`));
  const events = await s.events();
  expect(events.filter(e => e.startsWith(`Advance ${ref} canary weight`))).toEqual([
    `Advance ${ref} canary weight 10`,
    `Advance ${ref} canary weight 20`,
    `Advance ${ref} canary weight 30`,
  ]);
  expect(events).toEqual(
    expect.arrayContaining([
      `Initialization done! ${ref}`,
      `New revision detected! Scaling up ${ref}`,
      `Starting canary analysis for ${ref}`,
      `Copying ${ref} template spec to ${s.name}-primary.${s.namespace}`,
      'Routing all traffic to primary',
      `Promotion completed! Scaling down ${ref}`,
    ]),
  );
  const loadTests = hooks.callsFor(s.namespace, s.name, '/');
  expect(loadTests.length).toBeGreaterThanOrEqual(2);
  expect(loadTests[0]?.body).toEqual(
    expect.objectContaining({
      phase: 'Progressing',
      metadata: expect.objectContaining({ type: 'cmd' }),
    }),
  );
  const eventHooks = hooks.callsFor(s.namespace, s.name, '/events');
  expect(eventHooks.map(c => c.body.metadata?.eventMessage)).toEqual(
    expect.arrayContaining([`Promotion completed! Scaling down ${ref}`]),
  );
  await s.waitUntil('the promotion alert', () =>
    ctx.env.slack
      .textsFor(ref)
      .includes('Canary analysis completed successfully, promotion finished.'),
  );
  expect(ctx.env.slack.textsFor(ref)).toContain(
    'New revision detected, progressing canary analysis.',
  );
}

/** Failed analysis (2.9): a canary answering 50 % errors is rolled back after `threshold` failed checks. */
export async function failedAnalysis(ctx: ScenarioContext, s: Scenario): Promise<void> {
  await ctx.apply(
    s,
    canary(s.namespace, s.name, {
      interval: '10s',
      threshold: 2,
      maxWeight: 50,
      stepWeight: 10,
      metrics: standardMetrics(s.namespace),
      alerts: [{ name: 'slack', severity: 'error', providerRef: { name: 'slack' } }],
    }),
  );
  await s.waitForPhase('Initialized');
  ctx.env.exporter.setTraffic({
    namespace: s.namespace,
    workload: s.name,
    rps: 20,
    errorRatio: 0.5,
  });
  await s.release('6.0.1');
  const failed = await s.waitForPhase('Failed', 120_000);
  expect(failed.status?.canaryWeight).toBe(0);
  expect(s.imageOf(`${s.name}-primary`)).toBe('ghcr.io/stefanprodan/podinfo:6.0.0');
  await s.waitUntil('canary scaled to zero', () => s.deployment()?.spec?.replicas === 0);
  const ref = `${s.name}.${s.namespace}`;
  await s.waitForEvent(new RegExp(`^Canary failed! Scaling down ${ref}$`));
  const events = await s.events();
  expect(events.some(e => /^Halt .* advancement success rate \d+\.\d\d% < 99%$/.test(e))).toBe(
    true,
  );
  expect(events).toEqual(
    expect.arrayContaining([
      `Rolling back ${ref} failed checks threshold reached 2`,
      `Canary failed! Scaling down ${ref}`,
    ]),
  );
  const routes = s.virtualService?.spec.http?.[0]?.route?.map(r => r.weight);
  expect(routes).toEqual([100, 0]);
  await s.waitUntil('the error alert', () =>
    ctx.env.slack.textsFor(ref).includes('Failed checks threshold reached 2'),
  );
  // severity error: the info messages of this canary never reach the provider.
  expect(ctx.env.slack.textsFor(ref)).not.toContain(
    'New revision detected, progressing canary analysis.',
  );
}

/** E10: sticky sessions; the canary cookie routes to the canary, and is expired after promotion. */
export async function sessionAffinity(ctx: ScenarioContext, s: Scenario): Promise<void> {
  await ctx.apply(
    s,
    canary(
      s.namespace,
      s.name,
      {
        interval: '10s',
        threshold: 5,
        maxWeight: 30,
        stepWeight: 10,
        metrics: standardMetrics(s.namespace),
        sessionAffinity: {
          cookieName: 'canary-flagger-cookie',
          primaryCookieName: 'primary-flagger-cookie',
          maxAge: 21600,
        },
      },
      { service: { port: 9898, gateways: ['public-gateway'], hosts: ['*'] } },
    ),
  );
  await s.waitForPhase('Initialized');
  await s.release('6.0.1');
  const at10 = await s.waitUntil('canary weight 10', () => {
    const c = s.canary;
    return c?.status?.canaryWeight === 10 ? c : undefined;
  });
  const cookie = at10.status?.sessionAffinityCookie ?? '';
  expect(cookie).toMatch(/^canary-flagger-cookie=.+/);
  const http = await s.waitUntil('sticky routes', () => {
    const routes = s.virtualService?.spec.http ?? [];
    return routes.length === 3 ? routes : undefined;
  });
  // (a) sticky canary, (b) sticky primary, (c) weighted with Set-Cookie on both destinations.
  expect(http[0]?.match?.[0]?.headers?.Cookie?.regex).toContain(cookie.split('=')[1]);
  expect(http[0]?.route?.map(d => d.weight)).toEqual([0, 100]);
  expect(http[2]?.route?.map(d => d.weight)).toEqual([90, 10]);
  expect(JSON.stringify(http[2]?.route?.[1]?.headers)).toContain(`${cookie}; Max-Age=21600`);
  expect(JSON.stringify(http[2]?.route?.[0]?.headers)).toContain('primary-flagger-cookie=');

  const done = await s.waitForPhase('Succeeded', 180_000);
  expect(done.status?.previousSessionAffinityCookie).toBe(cookie);
  expect(done.status?.sessionAffinityCookie ?? '').toBe('');
  const expired = s.virtualService?.spec.http?.find(r =>
    JSON.stringify(r).includes(`${cookie}; Max-Age=-1`),
  );
  expect(expired?.match?.[0]?.headers?.Cookie?.regex).toContain(cookie.split('=')[1]);
}
