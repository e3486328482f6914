// End-to-end: the built `aviary-controller` binary against the Kubernetes API emulator, the real
// Prometheus scraping the Istio exporter, and local webhook / Slack servers. Every scenario
// drives its own canary; they all start in beforeAll and run at the same time (as canaries do in
// a cluster), and each test waits for its scenario's outcome. Analysis intervals are 10s, the
// smallest the API allows.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ALERT_PROVIDERS, METRIC_TEMPLATES, SECRETS } from '../../src/kube/index.js';
import { ControllerProcess, startEnvironment, waitFor, type Environment } from './harness.js';
import { latencyTemplate, secret, slackProvider } from './manifests.js';
import { scenarioContext, type ScenarioContext } from './scenario-context.js';
import { failedAnalysis, progressiveCanary, sessionAffinity } from './scenarios-canary.js';
import {
  gatedRollout,
  judged,
  manualRollback,
  mirroring,
  progressDeadline,
} from './scenarios-gates.js';
import { manualActions } from './scenarios-manual.js';
import { leaderElection, maxProgressing, restartMidAnalysis } from './scenarios-resilience.js';
import {
  abTesting,
  blueGreen,
  delegation,
  invalidSpec,
  skipAnalysis,
  takeOver,
} from './scenarios-strategies.js';

const NS = 'e2e';
const RESTART_NS = 'restart';
const LEADER_NS = 'leader';
const CAPPED_NS = 'capped';
const PROVIDER_SECRET_PATH = '/services/T000/B000/provider-secret-path';
const GLOBAL_SECRET_PATH = '/global/global-secret-path';
const SCENARIO_TIMEOUT_MS = 6 * 60_000;

let env: Environment;
let ctx: ScenarioContext;
let main: ControllerProcess;
const restart: { controller?: ControllerProcess; history: ControllerProcess[] } = { history: [] };
let capped: ControllerProcess | undefined;
const replicas: ControllerProcess[] = [];
const outcomes = new Map<string, Promise<unknown>>();

function controllers(): ControllerProcess[] {
  return [main, ...restart.history, ...replicas, capped].filter((c): c is ControllerProcess => !!c);
}

/** Starts a scenario now; its test awaits the outcome (an error, or undefined). */
function launch(name: string, run: () => Promise<void>): void {
  outcomes.set(
    name,
    run().then(
      () => undefined,
      (err: unknown) => err,
    ),
  );
}

async function outcome(name: string): Promise<void> {
  const pending = outcomes.get(name);
  if (!pending) throw new Error(`no scenario named ${name} was launched`);
  const result = await pending;
  if (result) throw result;
}

beforeAll(async () => {
  env = await startEnvironment([NS, RESTART_NS, LEADER_NS, CAPPED_NS]);
  ctx = scenarioContext(env, controllers);
  for (const ns of [NS, RESTART_NS, LEADER_NS, CAPPED_NS]) {
    await env.kube.create(METRIC_TEMPLATES, latencyTemplate(ns, env.prometheus.url));
  }
  await env.kube.create(
    SECRETS,
    secret(NS, 'slack-url', { address: `${env.slack.url}${PROVIDER_SECRET_PATH}` }),
  );
  await env.kube.create(ALERT_PROVIDERS, slackProvider(NS, 'slack'));
  main = await ControllerProcess.start(env, 'aviary-main', [
    '--namespace',
    NS,
    '--cluster-name',
    'e2e-cluster',
    '--slack-url',
    `${env.slack.url}${GLOBAL_SECRET_PATH}`,
  ]);
  const scenarios: Array<[string, typeof progressiveCanary]> = [
    ['podinfo', progressiveCanary],
    ['failing', failedAnalysis],
    ['sticky', sessionAffinity],
    ['gated', gatedRollout],
    ['rollback', manualRollback],
    ['mirror', mirroring],
    ['deadline', progressDeadline],
    ['bluegreen', blueGreen],
    ['abtest', abTesting],
    ['takeover', takeOver],
    ['skipper', skipAnalysis],
    ['delegate', delegation],
    ['broken', invalidSpec],
    ['judged', judged],
    ['manual', manualActions],
  ];
  for (const [name, run] of scenarios) launch(name, () => run(ctx, ctx.scenario(NS, name)));

  const startRestartable = async () => {
    const n = restart.history.length + 1;
    const started = await ControllerProcess.start(env, `aviary-restart-${n}`, [
      '--namespace',
      RESTART_NS,
    ]);
    restart.history.push(started);
    return started;
  };
  launch('restart', () =>
    restartMidAnalysis(ctx, ctx.scenario(RESTART_NS, 'podinfo'), startRestartable, restart),
  );
  launch('leader', async () => {
    const args = [
      '--namespace',
      LEADER_NS,
      '--leader-elect',
      '--leader-election-namespace',
      LEADER_NS,
    ];
    replicas.push(await ControllerProcess.start(env, 'replica-1', args));
    replicas.push(await ControllerProcess.start(env, 'replica-2', args));
    await leaderElection(ctx, ctx.scenario(LEADER_NS, 'podinfo'), [replicas[0]!, replicas[1]!]);
  });
  launch('capped', async () => {
    capped = await ControllerProcess.start(env, 'aviary-capped', [
      '--namespace',
      CAPPED_NS,
      '--max-progressing',
      '1',
    ]);
    await maxProgressing(ctx, ctx.scenario(CAPPED_NS, 'first'), ctx.scenario(CAPPED_NS, 'second'));
  });
}, 120_000);

afterAll(async () => {
  await Promise.allSettled(
    controllers()
      .filter(c => c.alive)
      .map(c => c.stop()),
  );
  // AVIARY_E2E_LOGS=<dir> keeps every controller's log lines for a look after the run.
  const dir = process.env.AVIARY_E2E_LOGS;
  if (dir) {
    await mkdir(dir, { recursive: true });
    for (const c of controllers()) {
      await writeFile(path.join(dir, `${c.name}.log`), `${c.rawStderr.join('\n')}\n`);
    }
  }
  await env?.stop();
}, 60_000);

describe('aviary-controller end to end (Deployments on Istio)', () => {
  const t = (title: string, name: string) => it(title, () => outcome(name), SCENARIO_TIMEOUT_MS);

  t(
    'E1+E2: initialises (apex metadata, primary selector), then promotes 6.0.1 through 10/20/30 %',
    'podinfo',
  );
  t(
    'failed analysis: 50 % errors roll the canary back after the threshold, primary untouched',
    'failing',
  );
  t(
    'E10: session affinity routes the cookie holder to the canary and expires the cookie after promotion',
    'sticky',
  );
  t('webhooks gating: confirm-rollout holds the release in Waiting until the gate opens', 'gated');
  t('a rollback webhook that answers 200 rolls back at once', 'rollback');
  t('mirroring: one mirrored step at 100/0, then weighted steps, then promotion', 'mirror');
  t('progress deadline: a canary that never gets ready is rolled back with an alert', 'deadline');
  t('E3: Blue/Green with pre-rollout acceptance hooks promotes 6.0.2', 'bluegreen');
  t(
    'E4+E5: A/B testing on a cookie promotes 6.0.3; deleting with revertOnDeletion restores the target',
    'abtest',
  );
  t(
    'E6: a pre-existing Service and VirtualService are taken over and reverted on deletion',
    'takeover',
  );
  t(
    'E7+E8: skipAnalysis promotes at once; a version that never gets ready fails and the primary keeps serving',
    'skipper',
  );
  t('E9: delegation produces a delegate VirtualService and promotes', 'delegate');
  t(
    'an invalid Canary gets a condition and a Warning Event naming the field; the others progress',
    'broken',
  );
  t(
    'a restart mid-analysis resumes with no double step; a revision released while down is promoted',
    'restart',
  );
  t(
    'two replicas with --leader-elect: only the leader acts, the other takes over when it stops',
    'leader',
  );
  t('--max-progressing 1: a second release waits for a free slot, then runs', 'capped');
  t(
    'judge: a canary much slower than the primary fails the comparison and is rolled back',
    'judged',
  );
  t(
    'manual actions via kubectl patch: a stale request is refused, pause holds the weight, promote promotes',
    'manual',
  );

  it(
    "/metrics shows the aviary_ series with Flagger's label sets",
    async () => {
      await outcome('podinfo');
      await outcome('failing');
      // Self metrics are recorded right after the tick's Events: poll until the last one is in.
      const text = await waitFor('the failure counter', async () => {
        const exposition = await main.metrics();
        return exposition.includes('aviary_canary_failures_total{name="failing"') && exposition;
      });
      expect(text).toMatch(/^aviary_info\{version="[^"]+",mesh_provider="istio"\} 1$/m);
      expect(text).toMatch(new RegExp(`^aviary_canary_total\\{namespace="${NS}"\\} \\d+$`, 'm'));
      expect(text).toContain(`aviary_canary_status{name="podinfo",namespace="${NS}"} 1`);
      expect(text).toContain(`aviary_canary_status{name="failing",namespace="${NS}"} 2`);
      expect(text).toContain(
        `aviary_canary_weight{workload="podinfo-primary",namespace="${NS}"} 100`,
      );
      expect(text).toContain(`aviary_canary_weight{workload="podinfo",namespace="${NS}"} 0`);
      expect(text).toContain(
        `aviary_canary_successes_total{name="podinfo",namespace="${NS}",deployment_strategy="canary",analysis_status="completed"} 1`,
      );
      expect(text).toContain(
        `aviary_canary_failures_total{name="failing",namespace="${NS}",deployment_strategy="canary",analysis_status="completed"} 1`,
      );
      expect(text).toMatch(
        new RegExp(
          `^aviary_canary_metric_analysis\\{name="podinfo",namespace="${NS}",metric="request-success-rate"\\} 100$`,
          'm',
        ),
      );
      expect(text).toMatch(
        /^aviary_canary_duration_seconds_count\{name="podinfo",namespace="e2e"\} [1-9]\d*$/m,
      );
      // Built-in metrics are batched: fewer grouped queries than canary workloads answered.
      const queries = sum(text, 'aviary_builtin_metric_queries_total');
      const targets = sum(text, 'aviary_builtin_metric_targets_total');
      expect(queries).toBeGreaterThan(0);
      expect(targets).toBeGreaterThan(queries);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    'logs are JSON lines ({level, ts, msg}) that never contain the webhook secrets',
    async () => {
      await outcome('podinfo');
      await outcome('skipper');
      expect(main.rawStderr.length).toBeGreaterThan(0);
      for (const line of main.rawStderr) {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        expect(Object.keys(parsed).slice(0, 3)).toEqual(['level', 'ts', 'msg']);
        expect(line).not.toContain('provider-secret-path');
        expect(line).not.toContain('global-secret-path');
      }
    },
    SCENARIO_TIMEOUT_MS,
  );
});

function sum(exposition: string, metric: string): number {
  return exposition
    .split('\n')
    .filter(line => line.startsWith(`${metric}{`) || line.startsWith(`${metric} `))
    .reduce((total, line) => total + Number(line.split(' ').at(-1)), 0);
}
