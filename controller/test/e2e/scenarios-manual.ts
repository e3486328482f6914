// Manual actions requested the way a person would: `kubectl patch canary --type merge`.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { CanaryManualAction } from '../../src/api/types.js';
import { canary, standardMetrics } from './manifests.js';
import type { ScenarioContext } from './scenario-context.js';
import type { Scenario } from './steps.js';

const run = promisify(execFile);

async function kubectlRequest(
  ctx: ScenarioContext,
  s: Scenario,
  request: CanaryManualAction,
): Promise<void> {
  const patch = JSON.stringify({ spec: { manualAction: request } });
  await run('kubectl', [
    '--kubeconfig',
    ctx.env.kubeconfigFile,
    '-n',
    s.namespace,
    'patch',
    'canary',
    s.name,
    '--type',
    'merge',
    '-p',
    patch,
  ]);
}

/** A stale request is refused; pause holds the weight; promote ends the pause and promotes. */
export async function manualActions(ctx: ScenarioContext, s: Scenario): Promise<void> {
  await ctx.apply(
    s,
    canary(s.namespace, s.name, {
      interval: '10s',
      threshold: 5,
      maxWeight: 50,
      stepWeight: 10,
      metrics: standardMetrics(s.namespace),
    }),
  );
  await s.waitForPhase('Initialized');
  await s.release('6.0.1');
  await s.waitUntil('weight 10', () => (s.canary?.status?.canaryWeight ?? 0) >= 10);
  const revision = s.canary?.status?.lastAppliedSpec ?? '';
  const who = { requestedBy: 'jane@example.com', reason: 'looks good' };

  await kubectlRequest(ctx, s, { id: 'stale-1', action: 'promote', revision: 'old', ...who });
  const refused = await s.waitUntil('the refusal', () =>
    s.canary?.status?.manualAction?.id === 'stale-1' ? s.canary.status.manualAction : undefined,
  );
  expect(refused).toMatchObject({
    outcome: 'Refused',
    message: `request is for revision old but the canary is analysing ${revision}`,
  });

  await kubectlRequest(ctx, s, { id: 'pause-1', action: 'pause', revision, ...who });
  const paused = await s.waitUntil('the pause', () =>
    s.canary?.status?.paused ? s.canary.status : undefined,
  );
  expect(paused.manualAction).toMatchObject({ id: 'pause-1', outcome: 'Applied' });
  const weight = paused.canaryWeight;
  await new Promise(resolve => setTimeout(resolve, 25_000)); // 2.5 intervals
  expect(s.canary?.status?.canaryWeight).toBe(weight);
  expect(s.phase).toBe('Progressing');

  await kubectlRequest(ctx, s, { id: 'promote-1', action: 'promote', revision, ...who });
  await s.waitForPhase('Succeeded', 60_000);
  expect(s.canary?.status?.manualAction).toMatchObject({ id: 'promote-1', outcome: 'Applied' });
  expect(s.canary?.status?.paused).toBeUndefined();
  expect(s.imageOf(`${s.name}-primary`)).toBe('ghcr.io/stefanprodan/podinfo:6.0.1');
  expect(await s.events()).toEqual(
    expect.arrayContaining([
      'Manual pause requested by jane@example.com: looks good',
      'Manual promote requested by jane@example.com: looks good',
      'Manual promote requested by jane@example.com refused: request is for revision old but the canary is analysing ' +
        revision,
    ]),
  );
}
