#!/usr/bin/env node
// `aviary-controller`: parses flags, connects to the cluster (kubeconfig, or in-cluster config),
// serves /metrics, /healthz, /readyz and the HTTP API (/api/v1), runs the controller, and shuts
// down gracefully on SIGTERM/SIGINT (ticks in flight finish, the leader Lease is released).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Controller } from '../controller/controller.js';
import { systemClock } from '../controller/clock.js';
import { createJsonLogger, type ControllerLogger } from '../controller/log.js';
import { ControllerApi } from '../http/api/api.js';
import type { ApiToken } from '../http/api/auth.js';
import { fileTokens, secretTokens, type TokenSource } from '../http/api/tokens.js';
import { startProbeServer, type ProbeServer } from '../http/server.js';
import { connect, createObjectWriter, errorText } from '../kube/index.js';
import { workloadOptions } from '../workload/index.js';
import { parseFlags, usage, type ControllerFlags } from './flags.js';

const EXIT_USAGE = 2;

function version(): string {
  try {
    const file = path.join(__dirname, '..', '..', 'package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Values that must never appear in a log line. */
function secretsOf(flags: ControllerFlags): string[] {
  return [
    flags.slackUrl,
    flags.slackToken,
    flags.slackProxy,
    flags.msteamsUrl,
    flags.msteamsProxy,
    flags.eventWebhook,
    flags.apiToken,
  ].filter((s): s is string => Boolean(s));
}

async function main(): Promise<void> {
  const parsed = parseFlags(process.argv.slice(2), process.env);
  if (parsed.kind === 'help') {
    process.stdout.write(usage());
    return;
  }
  if (parsed.kind === 'version') {
    process.stdout.write(`${version()}\n`);
    return;
  }
  if (parsed.kind === 'error') {
    process.stderr.write(`aviary-controller: ${parsed.message}\n\n${usage()}`);
    process.exitCode = EXIT_USAGE;
    return;
  }
  const flags = parsed.flags;
  const identity = process.env.POD_NAME || `${os.hostname()}-${randomUUID().slice(0, 8)}`;
  const log = createJsonLogger({
    level: flags.logLevel,
    now: () => systemClock.now(),
    secrets: secretsOf(flags),
  });
  await run(flags, identity, log);
}

async function run(flags: ControllerFlags, identity: string, log: ControllerLogger) {
  const client = connect(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {});
  const leaseNamespace =
    flags.leaderElectionNamespace || process.env.POD_NAMESPACE || flags.namespace || 'default';
  const controller = new Controller(
    client,
    {
      version: version(),
      identity,
      metricsServer: flags.metricsServer,
      concurrency: flags.concurrency,
      maxProgressing: flags.maxProgressing,
      metricQueryConcurrency: flags.metricQueryConcurrency,
      metricsBatchWindowMs: flags.metricsBatchWindowMs,
      ...(flags.namespace ? { namespace: flags.namespace } : {}),
      ...(flags.clusterName ? { clusterName: flags.clusterName } : {}),
      ...(flags.eventWebhook ? { eventWebhook: flags.eventWebhook } : {}),
      notifier: {
        ...(flags.slackUrl ? { slackUrl: flags.slackUrl } : {}),
        ...(flags.slackToken ? { slackToken: flags.slackToken } : {}),
        ...(flags.slackUser ? { slackUser: flags.slackUser } : {}),
        ...(flags.slackChannel ? { slackChannel: flags.slackChannel } : {}),
        ...(flags.slackProxy ? { slackProxy: flags.slackProxy } : {}),
        ...(flags.msteamsUrl ? { msteamsUrl: flags.msteamsUrl } : {}),
        ...(flags.msteamsProxy ? { msteamsProxy: flags.msteamsProxy } : {}),
      },
      workload: workloadOptions({
        selectorLabels: flags.selectorLabels,
        includeLabelPrefix: flags.includeLabelPrefix,
        configTracking: flags.enableConfigTracking,
      }),
      ...(flags.leaderElect
        ? { leaderElection: { namespace: leaseNamespace, name: flags.leaderElectionId } }
        : {}),
    },
    log,
  );
  const caches = controller.caches();
  let tokens: TokenSource = () => [];
  if (flags.apiTokenFile) tokens = fileTokens(flags.apiTokenFile, log);
  if (flags.apiTokenSecret) {
    const [ns = '', name = ''] = flags.apiTokenSecret.split('/');
    tokens = secretTokens(caches.secrets, ns, name, log);
  }
  if (flags.apiToken) {
    const base = tokens;
    const single: ApiToken = { token: flags.apiToken, identity: 'api-token', role: 'trusted' };
    tokens = () => [...base(), single];
  }
  // Subscribed before the caches start, so the stream's ring sees every canary from the first list.
  const api = new ControllerApi({
    sources: {
      canaries: caches.canaries,
      virtualServices: caches.virtualServices,
      deployments: caches.deployments,
      checks: (ns, name) => controller.checkStore.get(ns, name),
      events: (ns, name) => caches.canaryEvents(ns, name),
    },
    writer: createObjectWriter(client),
    tokens,
    openReads: flags.apiOpenReads,
    log,
  });
  let server: ProbeServer;
  try {
    server = await startProbeServer({
      port: flags.port,
      api,
      metrics: async () => ({
        contentType: controller.metrics.contentType,
        body: await controller.metrics.exposition(),
      }),
      readiness: () => controller.readiness(),
    });
  } catch (err) {
    log.error('cannot serve metrics and probes', { port: flags.port, error: errorText(err) });
    process.exitCode = 1;
    return;
  }
  log.info('aviary-controller starting', {
    version: version(),
    identity,
    port: server.port,
    namespace: flags.namespace ?? '',
    leaderElection: flags.leaderElect,
    metricsServer: flags.metricsServer,
    apiOpenReads: flags.apiOpenReads,
    apiTokens:
      [
        flags.apiTokenFile ? 'file' : flags.apiTokenSecret ? 'secret' : '',
        flags.apiToken ? 'env' : '',
      ]
        .filter(Boolean)
        .join('+') || 'none',
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      log.warn('second signal, exiting now', { signal });
      process.exit(1);
    }
    stopping = true;
    log.info('shutting down', { signal });
    api.close();
    void controller
      .stop()
      .then(() => server.close())
      .then(() => {
        log.info('stopped');
        process.exit(0);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  await controller.start();
  log.info('controller started', { role: controller.readiness().role });
}

main().catch((err: unknown) => {
  process.stderr.write(
    `${JSON.stringify({ level: 'error', ts: new Date().toISOString(), msg: 'fatal', error: errorText(err) })}\n`,
  );
  process.exit(1);
});
