// Restarts and replicas: the controller is stateless (all progress lives in the cluster), so a
// crash mid-analysis resumes with no double step, a revision released while it was down is not
// lost, and with leader election only the leader acts while the other replica waits to take over.
import { LEASES } from '../../src/kube/index.js';
import type { Lease } from '../../src/kube/index.js';
import type { ControllerProcess } from './harness.js';
import { canary, canaryEvents, standardMetrics } from './manifests.js';
import type { ScenarioContext } from './scenario-context.js';
import type { Scenario } from './steps.js';

const analysis = (namespace: string) => ({
  interval: '10s',
  threshold: 5,
  maxWeight: 60,
  stepWeight: 20,
  metrics: standardMetrics(namespace),
});

/** Each step event exactly once, in order, never aggregated (a double step would repeat one). */
async function expectSingleSteps(ctx: ScenarioContext, s: Scenario, weights: number[]) {
  const ref = `${s.name}.${s.namespace}`;
  const steps = (await canaryEvents(ctx.env, s.namespace, s.name)).filter(e =>
    e.message.startsWith(`Advance ${ref} canary weight`),
  );
  expect(steps.map(e => [e.message, e.count ?? 1])).toEqual(
    weights.map(w => [`Advance ${ref} canary weight ${w}`, 1]),
  );
}

export async function restartMidAnalysis(
  ctx: ScenarioContext,
  s: Scenario,
  start: () => Promise<ControllerProcess>,
  current: { controller?: ControllerProcess },
): Promise<void> {
  current.controller = await start();
  await ctx.apply(s, canary(s.namespace, s.name, analysis(s.namespace)));
  await s.waitForPhase('Initialized');
  await s.release('6.0.1');
  await s.waitUntil('canary weight 20', () => s.canary?.status?.canaryWeight === 20);

  // Crash (SIGKILL) in the middle of the analysis, then start a new process.
  await current.controller.kill();
  const frozen = s.canary?.status;
  current.controller = await start();
  await s.waitForPhase('Succeeded', 150_000);
  expect(frozen?.phase).toBe('Progressing');
  await expectSingleSteps(ctx, s, [20, 40, 60]);
  expect(s.imageOf(`${s.name}-primary`)).toBe('ghcr.io/stefanprodan/podinfo:6.0.1');

  // A revision released while no controller runs is picked up after the restart.
  expect(await current.controller.stop()).toBe(0);
  await s.release('6.0.2');
  current.controller = await start();
  await s.waitForEvent(new RegExp(`^New revision detected! Scaling up ${s.name}.${s.namespace}$`));
  await s.waitUntil(
    'primary at 6.0.2',
    () =>
      s.phase === 'Succeeded' &&
      s.imageOf(`${s.name}-primary`) === 'ghcr.io/stefanprodan/podinfo:6.0.2'
        ? true
        : undefined,
    150_000,
  );
}

/** Two replicas with --leader-elect: only the Lease holder acts; the other takes over when it stops. */
export async function leaderElection(
  ctx: ScenarioContext,
  s: Scenario,
  replicas: [ControllerProcess, ControllerProcess],
): Promise<void> {
  const lease = () => ctx.env.kube.peek<Lease>(LEASES, s.namespace, 'aviary-controller');
  const holder = await s.waitUntil(
    'a lease holder',
    () => lease()?.spec?.holderIdentity || undefined,
  );
  const leader = replicas.find(r => r.name === holder);
  const follower = replicas.find(r => r.name !== holder);
  if (!leader || !follower) throw new Error(`unexpected lease holder ${holder}`);
  await s.waitUntil('roles reported', async () => {
    const [a, b] = await Promise.all([leader.readyz(), follower.readyz()]);
    return (
      a.status === 200 && a.body.role === 'leader' && b.status === 200 && b.body.role === 'follower'
    );
  });

  await ctx.apply(s, canary(s.namespace, s.name, analysis(s.namespace)));
  await s.waitForPhase('Initialized');
  await s.release('6.0.1');
  await s.waitUntil('canary weight 20', () => s.canary?.status?.canaryWeight === 20);
  const before = await canaryEvents(ctx.env, s.namespace, s.name);
  expect(new Set(before.map(e => e.reportingInstance))).toEqual(new Set([leader.name]));
  expect(follower.logs.some(l => l.msg === 'processing canaries')).toBe(false);

  // The leader stops (rolling update of the controller): the follower takes the Lease.
  await leader.stop();
  await s.waitUntil('the follower leading', async () => {
    const ready = await follower.readyz();
    return ready.body.role === 'leader' && lease()?.spec?.holderIdentity === follower.name;
  });
  await s.waitForPhase('Succeeded', 150_000);
  expect(s.imageOf(`${s.name}-primary`)).toBe('ghcr.io/stefanprodan/podinfo:6.0.1');
  const after = await canaryEvents(ctx.env, s.namespace, s.name);
  const newOnes = after.filter(e => !before.some(b => b.metadata.name === e.metadata.name));
  expect(newOnes.length).toBeGreaterThan(0);
  expect(new Set(newOnes.map(e => e.reportingInstance))).toEqual(new Set([follower.name]));
  await expectSingleSteps(ctx, s, [20, 40, 60]);
}

/**
 * `--max-progressing 1`: two releases at once; the second canary waits (Event, no traffic
 * shifted, target not scaled up) until the first one finishes, then runs.
 */
export async function maxProgressing(
  ctx: ScenarioContext,
  first: Scenario,
  second: Scenario,
): Promise<void> {
  const quick = (namespace: string) => ({
    interval: '10s',
    threshold: 5,
    maxWeight: 50,
    stepWeight: 50,
    metrics: standardMetrics(namespace),
  });
  await ctx.apply(first, canary(first.namespace, first.name, quick(first.namespace)));
  await ctx.apply(second, canary(second.namespace, second.name, quick(second.namespace)));
  await first.waitForPhase('Initialized');
  await second.waitForPhase('Initialized');
  await first.release('6.0.1');
  await first.waitForPhase('Progressing');
  await second.release('6.0.1');
  await second.waitForEvent(/advancement waiting for a progressing slot \(max-progressing 1\)$/);
  expect(second.phase).toBe('Initialized');
  expect(second.deployment()?.spec?.replicas).toBe(0);
  await first.waitForPhase('Succeeded');
  await second.waitForPhase('Progressing');
  expect(first.phase).toBe('Succeeded');
  await second.waitForPhase('Succeeded');
  expect(second.imageOf(`${second.name}-primary`)).toBe('ghcr.io/stefanprodan/podinfo:6.0.1');
}
