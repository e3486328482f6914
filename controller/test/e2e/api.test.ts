// End-to-end: the controller HTTP API and the `aviary` CLI, both built binaries, against the
// emulator. Two short canaries run at once: one promoted by `aviary promote`, one aborted by
// `aviary abort --wait-ack`; `aviary wait` must exit 0, 1 and (for a revision that never comes) 2.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { METRIC_TEMPLATES } from '../../src/kube/index.js';
import {
  CONTROLLER_DIR,
  ControllerProcess,
  startEnvironment,
  waitFor,
  type Environment,
} from './harness.js';
import { canary, latencyTemplate, standardMetrics } from './manifests.js';
import { scenarioContext, type ScenarioContext } from './scenario-context.js';
import type { Scenario } from './steps.js';

const NS = 'api';
const AVIARY_BIN = path.join(CONTROLLER_DIR, 'dist', 'cli', 'aviary.js');
const WRITE_TOKEN = 'e2e-writer-0123456789abcdef';
const READ_TOKEN = 'e2e-reader-0123456789abcdef';
const TRUSTED_TOKEN = 'e2e-trusted-from-env-0123456789';

let env: Environment;
let ctx: ScenarioContext;
let controller: ControllerProcess;

function aviary(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise(resolve => {
    const child = spawn(process.execPath, [AVIARY_BIN, ...args], {
      env: {
        ...process.env,
        AVIARY_SERVER: `http://127.0.0.1:${controller.port}`,
        AVIARY_TOKEN: WRITE_TOKEN,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', code => resolve({ code, out, err }));
  });
}

const api = (p: string, init: RequestInit = {}) =>
  fetch(`http://127.0.0.1:${controller.port}/api/v1${p}`, init);

beforeAll(async () => {
  env = await startEnvironment([NS]);
  ctx = scenarioContext(env, () => [controller]);
  await env.kube.create(METRIC_TEMPLATES, latencyTemplate(NS, env.prometheus.url));
  const tokenFile = path.join(env.tmp, 'api-tokens');
  await writeFile(tokenFile, `${WRITE_TOKEN}:release-bot\n${READ_TOKEN}:viewer:read\n`);
  controller = await ControllerProcess.start(
    env,
    'aviary-api',
    ['--namespace', NS, '--api-token-file', tokenFile],
    { AVIARY_API_TOKEN: TRUSTED_TOKEN },
  );
}, 120_000);

afterAll(async () => {
  await controller?.stop();
  await env?.stop();
});

async function progressing(s: Scenario): Promise<string> {
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
  return s.canary?.status?.lastAppliedSpec ?? '';
}

describe('HTTP API and aviary CLI against the running controller', () => {
  it('reads need a token, read tokens cannot act, malformed bodies name the field', async () => {
    await ctx.apply(
      ctx.scenario(NS, 'idle'),
      canary(NS, 'idle', undefined, { skipAnalysis: true }),
    );
    await waitFor('the idle canary in the API', async () => {
      const res = await api('/canaries?namespace=api', {
        headers: { authorization: `Bearer ${READ_TOKEN}` },
      });
      const body = (await res.json()) as { items: Array<{ name: string; phase: string }> };
      return body.items.some(i => i.name === 'idle' && i.phase === 'Initialized');
    });
    expect((await api('/canaries')).status).toBe(401);
    const asReader = await api('/namespaces/api/canaries/idle/actions', {
      method: 'POST',
      headers: { authorization: `Bearer ${READ_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'pause' }),
    });
    expect(asReader.status).toBe(403);
    const bad = await api('/namespaces/api/canaries/idle/actions', {
      method: 'POST',
      headers: { authorization: `Bearer ${WRITE_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'pause', onBehalfOf: 'mallory' }),
    });
    expect(bad.status).toBe(403);
    expect(await bad.json()).toMatchObject({ field: 'onBehalfOf' });
    const typo = await api('/namespaces/api/canaries/idle/actions', {
      method: 'POST',
      headers: { authorization: `Bearer ${WRITE_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'promte' }),
    });
    expect(typo.status).toBe(400);
    expect(await typo.json()).toMatchObject({ field: 'action' });
    const onBehalf = await api('/namespaces/api/canaries/idle/actions', {
      method: 'POST',
      headers: { authorization: `Bearer ${TRUSTED_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'pause', revision: 'r-test', onBehalfOf: 'jane@example.com' }),
    });
    expect(onBehalf.status).toBe(202);
    const idle = ctx.scenario(NS, 'idle');
    await idle.waitUntil('the request in spec.manualAction', () =>
      idle.canary?.spec?.manualAction?.requestedBy === 'jane@example.com' ? true : undefined,
    );
    expect((await api('/openapi.json')).status).toBe(200);
    const listed = await aviary('list', '-n', NS);
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/api\s+idle\s+Initialized/);
  });

  it('aviary promote, then aviary wait exits 0; the request is acknowledged', async () => {
    const s = ctx.scenario(NS, 'promoted');
    const revision = await progressing(s);
    // The running analysis: its metric checks (with verdicts) and its Events are in the detail.
    interface Detail {
      checks: Array<{ metric: string; verdict: string; thresholdRange: object }>;
      events: Array<{ reason: string; message: string; count: number }>;
    }
    const detail = await waitFor('checks and events in the detail', async () => {
      const res = await api(`/namespaces/${NS}/canaries/promoted`, {
        headers: { authorization: `Bearer ${READ_TOKEN}` },
      });
      const body = (await res.json()) as Detail;
      return body.checks.length > 0 && body.events.length > 0 ? body : undefined;
    });
    expect(['pass', 'fail', 'skip']).toContain(detail.checks[0]?.verdict);
    expect(detail.checks[0]?.thresholdRange).toBeDefined();
    expect(detail.events.some(e => e.message.includes('New revision detected'))).toBe(true);
    const requested = await aviary('promote', `${NS}/promoted`, '--reason', 'e2e', '-o', 'json');
    expect(requested.code).toBe(0);
    const accepted = JSON.parse(requested.out) as {
      id: string;
      revision: string;
      requestedBy: string;
    };
    expect(accepted).toMatchObject({ revision, requestedBy: 'release-bot' });
    expect(s.canary?.spec).toMatchObject({ manualAction: { id: accepted.id, action: 'promote' } });
    const waited = await aviary(
      'wait',
      `${NS}/promoted`,
      '--revision',
      revision,
      '--timeout',
      '150s',
    );
    expect(waited).toMatchObject({ code: 0 });
    expect(waited.out).toContain('Succeeded');
    const ack = (
      s.canary?.status as { manualAction?: { id?: string; outcome?: string } } | undefined
    )?.manualAction;
    expect(ack).toMatchObject({ id: accepted.id, outcome: 'Applied' });

    const timedOut = await aviary(
      'wait',
      `${NS}/promoted`,
      '--revision',
      'never',
      '--timeout',
      '2s',
    );
    expect(timedOut.code).toBe(2);
  }, 240_000);

  it('aviary abort, then aviary wait exits 1', async () => {
    const s = ctx.scenario(NS, 'aborted');
    const revision = await progressing(s);
    const waiting = aviary('wait', `${NS}/aborted`, '--revision', revision, '--timeout', '150s');
    const requested = await aviary(
      'abort',
      `${NS}/aborted`,
      '--reason',
      'e2e abort',
      '--wait-ack',
      '60s',
    );
    expect(requested).toMatchObject({ code: 0 });
    expect(requested.out).toContain('abort of api/aborted: Applied');
    const waited = await waiting;
    expect(waited).toMatchObject({ code: 1 });
    expect(waited.out).toContain('Failed');
  }, 240_000);

  it('never logs a token', () => {
    const all = controller.rawStderr.join('\n');
    expect(all).not.toContain(WRITE_TOKEN);
    expect(all).not.toContain(READ_TOKEN);
    expect(all).not.toContain(TRUSTED_TOKEN);
    expect(controller.logs.some(l => l.msg === 'api: forbidden request')).toBe(true);
  });
});
