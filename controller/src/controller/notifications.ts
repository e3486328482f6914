// What happens after a tick committed: Kubernetes Events (also logged and sent to event hooks),
// alerts, post-rollout hooks and the self metrics. All best effort: a failing sink is logged and
// never fails the tick, and the sinks of one tick run together so a slow one costs its own
// timeout once.
import type { Canary, CanaryWebhook } from '../api/types.js';
import { postRolloutEvents } from '../engine/index.js';
import type { Notification } from '../engine/types.js';
import { CANARIES, type EventRecorder } from '../kube/index.js';
import { dispatchAlert, type AlertDeps } from '../notify/index.js';
import { runPostRolloutHooks, sendEventHooks, type WebhookCaller } from '../webhooks/index.js';
import type { Clock } from './clock.js';
import type { ControllerLogger } from './log.js';
import type { SelfMetrics } from './self-metrics.js';

export interface NotifyDeps {
  recorder: EventRecorder;
  webhooks: WebhookCaller;
  /** Flagger's -event-webhook: for canaries without `event` hooks. */
  globalEventUrl?: string;
  alerts: AlertDeps;
  metrics: SelfMetrics;
  clock: Clock;
}

export async function sendNotifications(
  canary: Canary,
  notes: readonly Notification[],
  deps: NotifyDeps,
  log: ControllerLogger,
): Promise<void> {
  const background: Array<Promise<unknown>> = [];
  const labels = {
    target: canary.spec.targetRef.name,
    namespace: canary.metadata.namespace ?? 'default',
  };
  const emit = async (eventType: 'Normal' | 'Warning', message: string) => {
    if (eventType === 'Warning') log.warn(message);
    else log.info(message);
    background.push(eventHooks(canary, eventType, message, deps, log));
    await deps.recorder.record({ object: canary, type: CANARIES }, eventType, 'Synced', message);
  };
  for (const note of notes) {
    switch (note.type) {
      case 'emitEvent':
        // In order, so the Events read like the tick's story.
        await emit(note.eventType, note.message);
        break;
      case 'sendAlert':
        background.push(
          dispatchAlert(canary, note, deps.alerts).then(deliveries => {
            for (const d of deliveries) {
              if (!d.result.ok) {
                log.warn('alert not delivered', {
                  alert: d.alert,
                  provider: d.provider,
                  error: d.result.error,
                });
              }
            }
          }),
        );
        break;
      case 'runWebhooks': {
        const phase = note.phase === 'Succeeded' ? 'Succeeded' : 'Failed';
        const withHooks: Canary = hooksOnly(canary, note.hooks);
        background.push(
          runPostRolloutHooks(deps.webhooks, withHooks, phase).then(async calls => {
            for (const call of calls) {
              if (call.result.ok) await emit('Normal', postRolloutEvents.passed(call.hook.name));
              else
                await emit('Warning', postRolloutEvents.failed(call.hook.name, call.result.error));
            }
          }),
        );
        break;
      }
      case 'recordMetric':
        deps.metrics.record(labels, note.record);
        break;
    }
  }
  // Post-rollout results add events (and event hooks) while we wait: drain until quiet.
  for (let done = 0; done < background.length;) {
    const batch = background.slice(done);
    done = background.length;
    await Promise.allSettled(batch);
  }
}

async function eventHooks(
  canary: Canary,
  eventType: 'Normal' | 'Warning',
  message: string,
  deps: NotifyDeps,
  log: ControllerLogger,
): Promise<void> {
  const calls = await sendEventHooks(
    deps.webhooks,
    canary,
    { message, type: eventType },
    deps.clock.now(),
    deps.globalEventUrl,
  );
  for (const call of calls) {
    if (!call.result.ok) {
      log.debug('event webhook failed', { hook: call.hook.name, error: call.result.error });
    }
  }
}

/** The canary with exactly the hooks the engine named (post-rollout ones, as written). */
function hooksOnly(canary: Canary, hooks: readonly CanaryWebhook[]): Canary {
  const analysis = canary.spec.analysis ?? canary.spec.canaryAnalysis ?? {};
  return {
    ...canary,
    spec: {
      ...canary.spec,
      analysis: { ...analysis, webhooks: hooks.map(h => ({ ...h, type: 'post-rollout' })) },
    },
  };
}
