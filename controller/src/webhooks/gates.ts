// What each hook type means for the analysis (spec 1.6): gates stop at the first failure,
// rollback hooks at the first success, post-rollout and event hooks only report.
import type { DateTime } from 'luxon';
import type { Canary, CanaryPhase, CanaryWebhook } from '../api/types.js';
import type { WebhookCaller, WebhookResult } from './caller.js';
import { eventPayload, hookPayload } from './payload.js';
import type { EventType } from './payload.js';

export type HookType =
  | 'confirm-rollout'
  | 'pre-rollout'
  | 'rollout'
  | 'confirm-traffic-increase'
  | 'confirm-promotion'
  | 'post-rollout'
  | 'rollback'
  | 'event';

export type GateType = Exclude<HookType, 'post-rollout' | 'rollback' | 'event'>;

export interface HookCall {
  hook: CanaryWebhook;
  result: WebhookResult;
}

/** An empty or absent type means `rollout`. */
export function hookType(hook: CanaryWebhook): HookType {
  return hook.type ? hook.type : 'rollout';
}

export function hooksOfType(canary: Canary, type: HookType): CanaryWebhook[] {
  const analysis = canary.spec.analysis ?? canary.spec.canaryAnalysis;
  return (analysis?.webhooks ?? []).filter(hook => hookType(hook) === type);
}

export interface GateOutcome {
  /** True when every hook of the type passed (also when there are none). */
  passed: boolean;
  /** The hook that stopped the gate. */
  failed?: HookCall;
  calls: HookCall[];
}

/**
 * confirm-rollout, pre-rollout, rollout, confirm-traffic-increase, confirm-promotion: called in
 * spec order, stopping at the first failure. What a failure leads to (Waiting, a failed check,
 * holding the weight, WaitingPromotion) is the engine's decision.
 */
export async function runGate(
  caller: WebhookCaller,
  canary: Canary,
  type: GateType,
  phase: CanaryPhase,
): Promise<GateOutcome> {
  const calls: HookCall[] = [];
  for (const hook of hooksOfType(canary, type)) {
    const call = { hook, result: await caller.call(hook, hookPayload(canary, phase, hook)) };
    calls.push(call);
    if (!call.result.ok) return { passed: false, failed: call, calls };
  }
  return { passed: true, calls };
}

export interface RollbackOutcome {
  /** True when a hook answered with success: roll back now. */
  rollback: boolean;
  signalledBy?: CanaryWebhook;
  calls: HookCall[];
}

/**
 * Rollback hooks are inverted gates: success (200-202) asks for an immediate rollback, and any
 * failure, an unreachable hook included, means "no rollback". The first success decides.
 */
export async function checkRollbackHooks(
  caller: WebhookCaller,
  canary: Canary,
  phase: CanaryPhase,
): Promise<RollbackOutcome> {
  const calls: HookCall[] = [];
  for (const hook of hooksOfType(canary, 'rollback')) {
    const call = { hook, result: await caller.call(hook, hookPayload(canary, phase, hook)) };
    calls.push(call);
    if (call.result.ok) return { rollback: true, signalledBy: hook, calls };
  }
  return { rollback: false, calls };
}

/** post-rollout: every hook is called with Succeeded or Failed; results are only reported. */
export async function runPostRolloutHooks(
  caller: WebhookCaller,
  canary: Canary,
  phase: 'Succeeded' | 'Failed',
): Promise<HookCall[]> {
  const calls: HookCall[] = [];
  for (const hook of hooksOfType(canary, 'post-rollout')) {
    calls.push({ hook, result: await caller.call(hook, hookPayload(canary, phase, hook)) });
  }
  return calls;
}

/**
 * Event hooks: the canary's `event` hooks, or the controller's global event webhook when it has
 * none (any event hook replaces the global one). Called together, so one slow sink does not add
 * its timeout to the others'; errors are only reported.
 */
export async function sendEventHooks(
  caller: WebhookCaller,
  canary: Canary,
  event: { message: string; type: EventType },
  now: DateTime,
  globalEventUrl?: string,
): Promise<HookCall[]> {
  let hooks = hooksOfType(canary, 'event');
  if (hooks.length === 0 && globalEventUrl) hooks = [{ name: 'events', url: globalEventUrl }];
  return Promise.all(
    hooks.map(async hook => ({
      hook,
      result: await caller.call(hook, eventPayload(canary, hook, event, now)),
    })),
  );
}
