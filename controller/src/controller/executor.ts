// Applies one `act` decision in the engine's order: effects (idempotent, stop at the first
// failure), then the single status write guarded by resourceVersion (the commit), then the
// notifications. A conflict on the commit abandons the tick: the next one recomputes everything
// from the newer state, so nothing is announced that was not committed.
import type { Canary, CanaryStatus } from '../api/types.js';
import type { Action, Effect, Notification, WriteStatus } from '../engine/types.js';
import { CANARIES, isConflict } from '../kube/index.js';
import { CanaryChanged, applyEffect, type EffectContext } from './effects.js';
import type { ControllerLogger } from './log.js';
import { sendNotifications, type NotifyDeps } from './notifications.js';

export type Execution =
  /**
   * Status written: `canary` is the stored object (for reads before the cache catches up);
   * `superseded` are the versions of the Canary this tick saw or produced before it.
   */
  | { kind: 'committed'; canary: Canary; superseded: string[] }
  /** Nothing to commit; effects and notifications were applied. */
  | { kind: 'applied' }
  /** The Canary changed under the tick: nothing announced, run again. */
  | { kind: 'conflict' }
  /** Leadership was lost mid-tick: stopped before the next write. */
  | { kind: 'aborted' };

export interface ExecuteInput {
  effects: Omit<EffectContext, 'nextStatus' | 'resourceVersion'>;
  notify: NotifyDeps;
  log: ControllerLogger;
  signal: AbortSignal;
}

export async function execute(input: ExecuteInput, actions: readonly Action[]): Promise<Execution> {
  const { canary } = input.effects;
  const write = actions.find((a): a is WriteStatus => a.type === 'writeStatus');
  const effects = actions.filter(isEffect);
  const notes = actions.filter(isNotification);
  const context: EffectContext = {
    ...input.effects,
    nextStatus: write?.status ?? canary.status ?? {},
  };
  try {
    for (const effect of effects) {
      if (input.signal.aborted) return { kind: 'aborted' };
      await applyEffect(context, effect);
    }
  } catch (err) {
    // Our own finalizer patch lost against a change to the Canary: same as a commit conflict.
    if (err instanceof CanaryChanged) return { kind: 'conflict' };
    throw err;
  }
  if (input.signal.aborted) return { kind: 'aborted' };
  let committed: Canary | undefined;
  if (write) {
    const resourceVersion = context.resourceVersion ?? write.resourceVersion;
    try {
      committed = await input.effects.writer.replaceStatus<Canary>(
        CANARIES,
        withStatus(canary, write.status, resourceVersion),
      );
    } catch (err) {
      if (isConflict(err)) return { kind: 'conflict' };
      throw err;
    }
  }
  const announced = committed ?? canary;
  await sendNotifications(announced, notes, input.notify, input.log);
  if (!committed) return { kind: 'applied' };
  const superseded = [canary.metadata.resourceVersion, context.resourceVersion].filter(
    (v): v is string => Boolean(v),
  );
  return { kind: 'committed', canary: committed, superseded };
}

function withStatus(canary: Canary, status: CanaryStatus, resourceVersion?: string): Canary {
  return {
    ...canary,
    metadata: {
      ...canary.metadata,
      ...(resourceVersion ? { resourceVersion } : {}),
    },
    status,
  };
}

const NOTIFICATIONS = new Set<Action['type']>([
  'emitEvent',
  'sendAlert',
  'runWebhooks',
  'recordMetric',
]);

// Anything that is neither the commit nor a notification is an effect: a new effect type the
// engine adds reaches applyEffect, whose exhaustive switch makes the compiler ask for it.
function isEffect(action: Action): action is Effect {
  return action.type !== 'writeStatus' && !NOTIFICATIONS.has(action.type);
}

function isNotification(action: Action): action is Notification {
  return NOTIFICATIONS.has(action.type);
}
