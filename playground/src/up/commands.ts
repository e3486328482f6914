// The companion commands of `up`: release, inject, status, down. Each reads the state file.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { versionOfImage } from '../demo-app/app.js';
import { accessFromKubeconfig, kubeRequest } from '../mesh/kube-client.js';
import { DEMO_IMAGE, DEMO_NAMESPACE } from './samples.js';
import { STATE_FILE, isAlive, readState } from './state.js';
import type { PlaygroundState } from './state.js';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

async function runningState(stateDir: string): Promise<PlaygroundState> {
  const state = await readState(stateDir);
  if (!state || !isAlive(state.pid)) {
    throw new Error(
      `the playground is not running (no live state in ${stateDir}): run \`aviary-playground up\``,
    );
  }
  return state;
}

interface DeploymentDoc {
  spec?: { template?: { spec?: { containers?: Array<{ name: string; image?: string }> } } };
}

const deploymentPath = (ns: string, name: string) =>
  `/apis/apps/v1/namespaces/${ns}/deployments/${name}`;

/** Sets the Deployment's image tag (a new revision for the canary to analyse). */
export async function release(
  stateDir: string,
  name: string,
  version: string,
  namespace = DEMO_NAMESPACE,
): Promise<void> {
  const state = await runningState(stateDir);
  const access = await accessFromKubeconfig(state.kubeconfig);
  const dep = await kubeRequest<DeploymentDoc>(access, 'GET', deploymentPath(namespace, name));
  const container = dep.spec?.template?.spec?.containers?.[0];
  if (!container) throw new Error(`deployment ${namespace}/${name} has no container`);
  const repo = (container.image ?? DEMO_IMAGE).replace(/:[^/:@]*$/, '');
  await kubeRequest(
    access,
    'PATCH',
    deploymentPath(namespace, name),
    {
      spec: {
        template: { spec: { containers: [{ name: container.name, image: `${repo}:${version}` }] } },
      },
    },
    'application/strategic-merge-patch+json',
  );
  console.log(`deployment ${namespace}/${name}: image ${repo}:${version}`);
}

/** Degrades the current version of NAME (the canary's target Deployment). */
export async function inject(
  stateDir: string,
  name: string,
  faults: { errorPercent?: number; latencyMs?: number },
  namespace = DEMO_NAMESPACE,
): Promise<void> {
  const state = await runningState(stateDir);
  const access = await accessFromKubeconfig(state.kubeconfig);
  const dep = await kubeRequest<DeploymentDoc>(access, 'GET', deploymentPath(namespace, name));
  const version = versionOfImage(dep.spec?.template?.spec?.containers?.[0]?.image ?? '');
  const res = await fetch(`http://127.0.0.1:${state.meshAdminPort}/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      namespace,
      app: name,
      version,
      errorRatio: (faults.errorPercent ?? 0) / 100,
      latencyMs: faults.latencyMs ?? 0,
    }),
  });
  if (!res.ok) throw new Error(`the mesh refused the faults: ${res.status} ${await res.text()}`);
  console.log(
    `${namespace}/${name} version ${version}: ${faults.errorPercent ?? 0}% errors, +${faults.latencyMs ?? 0} ms latency`,
  );
}

interface CanaryDoc {
  metadata: { name: string; namespace?: string };
  status?: {
    phase?: string;
    canaryWeight?: number;
    failedChecks?: number;
    iterations?: number;
    conditions?: Array<{ type: string; message?: string }>;
  };
}

export async function status(stateDir: string): Promise<number> {
  const state = await readState(stateDir);
  if (!state || !isAlive(state.pid)) {
    console.log('The playground is not running.');
    return 1;
  }
  const alive = (pid: number | undefined) => (pid && isAlive(pid) ? 'running' : 'stopped');
  console.log(`playground (pid ${state.pid})${state.ready ? '' : ' starting'}`);
  console.log(`  Kubernetes API  ${state.emulatorUrl}   (KUBECONFIG=${state.kubeconfig})`);
  console.log(`  Mesh entry      http://127.0.0.1:${state.meshPort}`);
  console.log(`  Istio metrics   http://127.0.0.1:${state.meshAdminPort}/metrics`);
  console.log(
    `  Prometheus      ${state.prometheus?.url ?? '-'}   ${alive(state.prometheus?.pid)}`,
  );
  console.log(
    `  Controller      ${state.controller ? `http://127.0.0.1:${state.controller.port}/metrics` : '-'}   ${alive(state.controller?.pid)}`,
  );
  console.log(
    state.portal
      ? `  Portal          ${state.portal.url}   ${alive(state.portal.pid)}`
      : '  Portal          not started (--no-portal)',
  );
  const access = await accessFromKubeconfig(state.kubeconfig);
  const list = await kubeRequest<{ items?: CanaryDoc[] }>(
    access,
    'GET',
    '/apis/aviary.dev/v1beta1/canaries',
  );
  console.log('\nNAMESPACE  NAME      STATUS        WEIGHT  FAILEDCHECKS  MESSAGE');
  for (const c of list.items ?? []) {
    const s = c.status ?? {};
    const message = s.conditions?.find(cond => cond.type === 'Promoted')?.message ?? '';
    console.log(
      [
        (c.metadata.namespace ?? '').padEnd(10),
        c.metadata.name.padEnd(9),
        (s.phase ?? '-').padEnd(13),
        String(s.canaryWeight ?? 0).padEnd(7),
        String(s.failedChecks ?? 0).padEnd(13),
        message,
      ].join(' '),
    );
  }
  const events = await kubeRequest<{ items?: EventDoc[] }>(
    access,
    'GET',
    `/api/v1/events?${new URLSearchParams({ fieldSelector: 'involvedObject.kind=Canary' })}`,
  );
  const byCanary = new Map<string, EventDoc[]>();
  for (const e of events.items ?? []) {
    const key = `${e.involvedObject?.namespace ?? ''}/${e.involvedObject?.name ?? ''}`;
    byCanary.set(key, [...(byCanary.get(key) ?? []), e]);
  }
  if (byCanary.size > 0) console.log('\nLatest events:');
  for (const [key, list] of [...byCanary].sort(([a], [b]) => a.localeCompare(b))) {
    for (const e of list.sort(compareEvents).slice(-3)) {
      console.log(`  ${key}: ${e.type ?? 'Normal'} ${e.message ?? ''}`);
    }
  }
  return 0;
}

interface EventDoc {
  type?: string;
  message?: string;
  lastTimestamp?: string;
  eventTime?: string;
  metadata?: { creationTimestamp?: string; resourceVersion?: string };
  involvedObject?: { name?: string; namespace?: string };
}

function eventTime(e: EventDoc): string {
  return e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? '';
}

/** Oldest first: by time, then by resourceVersion (events within one second keep their order). */
function compareEvents(a: EventDoc, b: EventDoc): number {
  return (
    eventTime(a).localeCompare(eventTime(b)) ||
    Number(a.metadata?.resourceVersion ?? 0) - Number(b.metadata?.resourceVersion ?? 0)
  );
}

/** Stops everything `up` started and waits until no process of it is left. */
export async function down(stateDir: string): Promise<void> {
  const state = await readState(stateDir);
  if (!state) {
    console.log('The playground is not running.');
    return;
  }
  const pids = [state.pid, state.controller?.pid, state.prometheus?.pid, state.portal?.pid].filter(
    (p): p is number => typeof p === 'number' && p > 0,
  );
  const signal = (pid: number, sig: NodeJS.Signals) => {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  };
  if (isAlive(state.pid)) signal(state.pid, 'SIGTERM');
  const deadline = Date.now() + 15_000;
  while (pids.some(isAlive) && Date.now() < deadline) await sleep(100);
  for (const pid of pids.filter(isAlive)) signal(pid, 'SIGKILL');
  // the portal runs in its own process group (its pid is the group's id): sweep the group
  const portalGroup = state.portal?.pid ? [-state.portal.pid] : [];
  for (const group of portalGroup.filter(isAlive)) signal(group, 'SIGKILL');
  const killDeadline = Date.now() + 5_000;
  while ([...pids, ...portalGroup].some(isAlive) && Date.now() < killDeadline) await sleep(50);
  await rm(join(stateDir, STATE_FILE), { force: true });
  console.log('The playground is stopped.');
}
