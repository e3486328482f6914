// Blue/Green, A/B, skipAnalysis, take-over, delegation and invalid specs (spec 6.3 E3-E9).
import type { Canary } from '../../src/api/types.js';
import { CANARIES, DEPLOYMENTS, SERVICES, VIRTUAL_SERVICES } from '../../src/kube/index.js';
import type { Service } from '../../src/router/index.js';
import type { VirtualService } from '../../src/router/istio/types.js';
import { FINALIZER } from '../../src/engine/index.js';
import { canary, deployment, standardMetrics } from './manifests.js';
import type { ScenarioContext } from './scenario-context.js';
import type { Scenario } from './steps.js';

/** E3: Blue/Green with two pre-rollout acceptance hooks; port 80 → 9898. */
export async function blueGreen(ctx: ScenarioContext, s: Scenario): Promise<void> {
  const { hooks } = ctx.env;
  await ctx.apply(
    s,
    canary(
      s.namespace,
      s.name,
      {
        interval: '10s',
        threshold: 5,
        iterations: 2,
        metrics: standardMetrics(s.namespace),
        webhooks: [
          {
            name: 'http-acceptance-test',
            type: 'pre-rollout',
            url: `${hooks.url}/acceptance-http`,
          },
          {
            name: 'grpc-acceptance-test',
            type: 'pre-rollout',
            url: `${hooks.url}/acceptance-grpc`,
          },
        ],
      },
      { service: { port: 80, targetPort: 9898 } },
    ),
  );
  await s.waitForPhase('Initialized');
  const svc = s.peek<Service>(SERVICES, `${s.name}-canary`);
  expect(svc?.spec.ports?.[0]).toEqual(expect.objectContaining({ port: 80, targetPort: 9898 }));
  await s.release('6.0.2');
  await s.waitForPhase('Succeeded', 150_000);
  expect(s.imageOf(`${s.name}-primary`)).toBe('ghcr.io/stefanprodan/podinfo:6.0.2');
  const ref = `${s.name}.${s.namespace}`;
  const events = await s.events();
  expect(events).toEqual(
    expect.arrayContaining([
      'Pre-rollout check http-acceptance-test passed',
      'Pre-rollout check grpc-acceptance-test passed',
      `Advance ${ref} canary iteration 1/2`,
      'Routing all traffic to canary',
    ]),
  );
  expect(hooks.callsFor(s.namespace, s.name, '/acceptance-grpc').length).toBeGreaterThan(0);
}

/**
 * E4 + E5: A/B testing on a cookie, confirm-promotion and post-rollout hooks; then, with
 * revertOnDeletion, deleting the Canary gives the target its replicas back.
 */
export async function abTesting(ctx: ScenarioContext, s: Scenario): Promise<void> {
  const { hooks } = ctx.env;
  await ctx.apply(
    s,
    canary(
      s.namespace,
      s.name,
      {
        interval: '10s',
        threshold: 5,
        iterations: 2,
        match: [{ headers: { cookie: { regex: '^(.*?;)?(type=insider)(;.*)?$' } } }],
        metrics: standardMetrics(s.namespace),
        webhooks: [
          { name: 'approve', type: 'confirm-promotion', url: `${hooks.url}/gate/approve` },
          { name: 'notify', type: 'post-rollout', url: `${hooks.url}/post` },
        ],
      },
      { revertOnDeletion: true },
    ),
  );
  await s.waitForPhase('Initialized');
  await s.waitUntil('the finalizer', () =>
    s.canary?.metadata.finalizers?.includes(FINALIZER) ? true : undefined,
  );
  await s.release('6.0.3');
  const routes = await s.waitUntil('the A/B routes', () => {
    const http = s.virtualService?.spec.http ?? [];
    return http[0]?.route?.[1]?.weight === 100 ? http : undefined;
  });
  expect(routes[0]?.match?.[0]?.headers?.cookie).toEqual({
    regex: '^(.*?;)?(type=insider)(;.*)?$',
  });
  expect(routes[1]?.route?.map(d => d.destination.host)).toEqual([`${s.name}-primary`]);
  await s.waitForPhase('Succeeded', 150_000);
  expect(s.imageOf(`${s.name}-primary`)).toBe('ghcr.io/stefanprodan/podinfo:6.0.3');
  await s.waitUntil(
    'post-rollout hook',
    () => hooks.callsFor(s.namespace, s.name, '/post').length > 0,
  );
  expect(hooks.callsFor(s.namespace, s.name, '/gate/approve').length).toBeGreaterThan(0);

  // E5
  expect(s.deployment()?.spec?.replicas).toBe(0);
  await ctx.env.kube.delete(CANARIES, s.namespace, s.name);
  await s.waitUntil('the canary gone', () => s.canary === undefined, 60_000);
  expect(s.deployment()?.spec?.replicas).toBe(1);
}

/** E6: a pre-existing apex Service and VirtualService are taken over and reverted on deletion. */
export async function takeOver(ctx: ScenarioContext, s: Scenario): Promise<void> {
  const { kube } = ctx.env;
  const originalSpec = {
    hosts: ['app.example.com', s.name],
    gateways: ['public-gateway'],
    http: [
      {
        route: [{ destination: { host: s.name }, weight: 100 }],
        retries: { attempts: 3, perTryTimeout: '1s' },
      },
    ],
  };
  await kube.create<Service>(SERVICES, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: s.name, namespace: s.namespace },
    spec: { selector: { app: s.name }, ports: [{ name: 'http', port: 9898, targetPort: 9898 }] },
  });
  await kube.create<VirtualService>(VIRTUAL_SERVICES, {
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'VirtualService',
    metadata: { name: s.name, namespace: s.namespace },
    spec: originalSpec,
  });
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
      },
      {
        revertOnDeletion: true,
        service: {
          port: 9898,
          gateways: ['public-gateway'],
          hosts: ['app.example.com'],
          retries: { attempts: 3, perTryTimeout: '1s' },
        },
      },
    ),
  );
  await s.waitForPhase('Initialized');
  const vs = await s.waitUntil('the VirtualService taken over', () => {
    const v = s.virtualService;
    return v?.spec.http?.[0]?.route?.some(d => d.destination.host === `${s.name}-primary`)
      ? v
      : undefined;
  });
  expect(vs.spec.http?.[0]?.retries).toEqual({ attempts: 3, perTryTimeout: '1s' });
  expect(s.peek<Service>(SERVICES, s.name)?.spec.selector).toEqual({ app: `${s.name}-primary` });
  await kube.delete(CANARIES, s.namespace, s.name);
  await s.waitUntil('the canary gone', () => s.canary === undefined, 60_000);
  const reverted = s.virtualService;
  expect(reverted?.spec).toEqual(originalSpec);
  expect(s.peek<Service>(SERVICES, s.name)?.spec.selector).toEqual({ app: s.name });
}

/** E7 + E8: skipAnalysis promotes at once; a version that never gets ready fails, the primary keeps serving. */
export async function skipAnalysis(ctx: ScenarioContext, s: Scenario): Promise<void> {
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
      },
      { skipAnalysis: true, progressDeadlineSeconds: 15 },
    ),
    { progressDeadlineSeconds: 15 },
  );
  await s.waitForPhase('Initialized');
  await s.release('6.0.1');
  await s.waitForPhase('Succeeded');
  expect(s.imageOf(`${s.name}-primary`)).toBe('ghcr.io/stefanprodan/podinfo:6.0.1');
  const ref = `${s.name}.${s.namespace}`;
  await s.waitForEvent(new RegExp(`^Promotion completed! Canary analysis was skipped for ${ref}$`));
  const events = await s.events();
  expect(events).not.toContain(`Starting canary analysis for ${ref}`);
  // This canary has no alerts list: the global notifier (--slack-url) gets its messages.
  await s.waitUntil('the global alert', () =>
    ctx.env.slack.messages.some(
      m =>
        m.path.startsWith('/global') &&
        m.body.attachments?.[0]?.author_name === ref &&
        m.body.attachments[0].text === 'Canary analysis was skipped, promotion finished.',
    ),
  );

  await s.release('potato-1.0.0', { neverReady: true });
  await s.waitForPhase('Failed', 120_000);
  const primary = s.deployment(`${s.name}-primary`);
  expect(primary?.spec?.replicas).toBe(1);
  expect(s.imageOf(`${s.name}-primary`)).toBe('ghcr.io/stefanprodan/podinfo:6.0.1');
}

/** E9: a delegate VirtualService (no hosts, no gateways) under a root one. */
export async function delegation(ctx: ScenarioContext, s: Scenario): Promise<void> {
  await ctx.env.kube.create<VirtualService>(VIRTUAL_SERVICES, {
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'VirtualService',
    metadata: { name: `${s.name}-root`, namespace: s.namespace },
    spec: {
      hosts: ['*'],
      gateways: ['public-gateway'],
      http: [
        {
          match: [{ uri: { prefix: '/podinfo' } }],
          delegate: { name: s.name, namespace: s.namespace },
        },
      ],
    } as VirtualService['spec'],
  });
  await ctx.apply(
    s,
    canary(
      s.namespace,
      s.name,
      {
        interval: '10s',
        threshold: 5,
        maxWeight: 20,
        stepWeight: 10,
        metrics: standardMetrics(s.namespace),
      },
      { service: { port: 9898, delegation: true } },
    ),
  );
  await s.waitForPhase('Initialized');
  expect(s.virtualService?.spec.hosts ?? []).toEqual([]);
  expect(s.virtualService?.spec.gateways ?? []).toEqual([]);
  await s.release('6.0.1');
  await s.waitForPhase('Succeeded', 150_000);
  expect(s.imageOf(`${s.name}-primary`)).toBe('ghcr.io/stefanprodan/podinfo:6.0.1');
}

/** An invalid Canary gets a Valid=False condition and a Warning Event naming the field. */
export async function invalidSpec(ctx: ScenarioContext, s: Scenario): Promise<void> {
  await ctx.env.kube.create(DEPLOYMENTS, deployment(s.namespace, s.name));
  const broken: Canary = canary(s.namespace, s.name, {
    interval: '10s',
    threshold: 5,
    stepWeight: 10,
    maxWeight: 50,
    iterations: 2,
  });
  await ctx.env.kube.create(CANARIES, broken);
  const condition = await s.waitUntil('the Valid condition', () =>
    s.canary?.status?.conditions?.find(c => c.type === 'Valid'),
  );
  expect(condition).toEqual(
    expect.objectContaining({
      status: 'False',
      reason: 'InvalidSpec',
      message: expect.stringContaining('spec.analysis.stepWeight'),
    }),
  );
  const warning = await s.waitForEvent(/^invalid canary spec: /);
  expect(warning).toContain('spec.analysis.stepWeight');
  expect(s.deployment(`${s.name}-primary`)).toBeUndefined();
  // Fixing the spec clears the condition and the canary initializes.
  await ctx.env.kube.update<Canary>(CANARIES, s.namespace, s.name, c => {
    if (c.spec.analysis) delete c.spec.analysis.iterations;
  });
  await s.waitForPhase('Initialized');
  expect(s.canary?.status?.conditions?.find(c => c.type === 'Valid')).toBeUndefined();
}
