// Every event and alert text the engine produces, worded as Flagger's (spec 2.15, 5.1) so that
// people and tools that grep for them keep working. C = canary, T = target, H = hook.
import type { EngineSpec } from './spec.js';

const canaryRef = (s: EngineSpec): string => `${s.name}.${s.namespace}`;
const targetRef = (s: EngineSpec): string => `${s.targetName}.${s.namespace}`;
const primaryRef = (s: EngineSpec): string => `${s.primaryName}.${s.namespace}`;

export const events = {
  suspended: () => 'skipping canary run as object is suspended',
  invalidSpec: (problems: string) => `invalid canary spec: ${problems}`,
  providersAvailable: () => 'all the metrics providers are available!',
  providersError: (error: string) => `Error checking metric providers: ${error}`,
  primaryNotReady: (s: EngineSpec, detail: string) => `${primaryRef(s)} not ready: ${detail}`,
  canaryNotReady: (s: EngineSpec, detail: string) =>
    `canary deployment ${targetRef(s)} not ready: ${detail}`,
  initialized: (s: EngineSpec) => `Initialization done! ${canaryRef(s)}`,
  confirmRolloutPassed: (hook: string) => `Confirm-rollout check ${hook} passed`,
  waitingForApproval: (s: EngineSpec, hook: string) =>
    `Halt ${canaryRef(s)} advancement waiting for approval ${hook}`,
  newRevision: (s: EngineSpec) => `New revision detected! Scaling up ${targetRef(s)}`,
  restarting: (s: EngineSpec) => `New revision detected! Restarting analysis for ${targetRef(s)}`,
  rollbackHookPassed: (hook: string) => `Rollback check ${hook} passed`,
  rollingBackManual: (s: EngineSpec) => `Rolling back ${canaryRef(s)} manual webhook invoked`,
  rollingBackThreshold: (s: EngineSpec, failed: number) =>
    `Rolling back ${canaryRef(s)} failed checks threshold reached ${failed}`,
  rollingBackDeadline: (s: EngineSpec, detail: string) =>
    `Rolling back ${canaryRef(s)} progress deadline exceeded ${detail}`,
  canaryFailed: (s: EngineSpec) => `Canary failed! Scaling down ${canaryRef(s)}`,
  promotionFailed: (s: EngineSpec, detail: string) =>
    `Promotion of ${targetRef(s)} failed, primary not ready: ${detail}`,
  startingAnalysis: (s: EngineSpec) => `Starting canary analysis for ${targetRef(s)}`,
  preRolloutPassed: (hook: string) => `Pre-rollout check ${hook} passed`,
  preRolloutFailed: (s: EngineSpec, hook: string, error: string) =>
    `Halt ${canaryRef(s)} advancement pre-rollout check ${hook} failed ${error}`,
  rolloutHookFailed: (s: EngineSpec, hook: string, error: string) =>
    `Halt ${canaryRef(s)} advancement external check ${hook} failed ${error}`,
  trafficIncreasePassed: (hook: string) => `Confirm-traffic-increase check ${hook} passed`,
  waitingForTrafficIncrease: (s: EngineSpec, hook: string) =>
    `Halt ${canaryRef(s)} advancement waiting for traffic increase approval ${hook}`,
  promotionGatePassed: (hook: string) => `Confirm-promotion check ${hook} passed`,
  waitingForPromotion: (s: EngineSpec, hook: string) =>
    `Halt ${canaryRef(s)} advancement waiting for promotion approval ${hook}`,
  advanceWeight: (s: EngineSpec, weight: number) =>
    `Advance ${canaryRef(s)} canary weight ${weight}`,
  advanceIteration: (s: EngineSpec, iteration: number, total: number) =>
    `Advance ${canaryRef(s)} canary iteration ${iteration}/${total}`,
  advancePrimary: (s: EngineSpec, weight: number) =>
    `Advance ${canaryRef(s)} primary weight ${weight}`,
  copying: (s: EngineSpec) =>
    `Copying ${targetRef(s)} template spec to ${s.primaryName}.${s.namespace}`,
  routingToPrimary: () => 'Routing all traffic to primary',
  routingToCanary: () => 'Routing all traffic to canary',
  stopMirroring: () => 'Stop traffic mirroring and route all traffic to canary',
  promotionCompleted: (s: EngineSpec) => `Promotion completed! Scaling down ${targetRef(s)}`,
  promotionSkipped: (s: EngineSpec) =>
    `Promotion completed! Canary analysis was skipped for ${targetRef(s)}`,
  terminating: (s: EngineSpec) => `Terminating canary ${canaryRef(s)}`,
  terminated: (s: EngineSpec) => `Terminated canary ${canaryRef(s)}`,
  notReadyFinalizing: () => 'canary not ready during finalizing',
  // Aviary additions (no Flagger equivalent).
  waitingForTraffic: (s: EngineSpec, count: number, min: number) =>
    `Halt ${canaryRef(s)} advancement waiting for traffic: ${count} requests < ${min}`,
  judgeFailed: (s: EngineSpec, reason: string) =>
    `Halt ${canaryRef(s)} advancement canary worse than primary: ${reason}`,
  rollingBackAborted: (s: EngineSpec, why: string) => `Rolling back ${canaryRef(s)}: ${why}`,
  manualRequested: (action: string, by: string, reason?: string) =>
    `Manual ${action} requested by ${by}${reason ? `: ${reason}` : ''}`,
  manualRefused: (action: string, by: string, why: string) =>
    `Manual ${action} requested by ${by} refused: ${why}`,
};

/** For the executor, which runs the fire-and-forget post-rollout hooks. */
export const postRolloutEvents = {
  passed: (hook: string) => `Post-rollout check ${hook} passed`,
  failed: (hook: string, error: string) => `Post-rollout hook ${hook} failed ${error}`,
};

export const alerts = {
  initialized: 'New Deployment detected, initialization completed.',
  newRevision: 'New revision detected, progressing canary analysis.',
  waitingForApproval: 'Canary is waiting for approval.',
  waitingForTrafficIncrease: 'Canary traffic increase is waiting for approval.',
  waitingForPromotion: 'Canary promotion is waiting for approval.',
  rollingBackManual: 'Rolling back manual webhook invoked',
  rollingBackAborted: (why: string) => `Rolling back: ${why}`,
  manualPromote: (by: string) => `Manual promotion requested by ${by}.`,
  thresholdReached: (failed: number) => `Failed checks threshold reached ${failed}`,
  progressDeadline: 'Progress deadline exceeded',
  promotionFailed: (detail: string) => `Promotion failed, primary not ready: ${detail}`,
  succeeded: 'Canary analysis completed successfully, promotion finished.',
  skipped: 'Canary analysis was skipped, promotion finished.',
};

/** Go's `%v` of a float64: integers without a decimal point. */
export function goNumber(value: number): string {
  return String(value);
}

/**
 * Go's `time.Duration.String()` for a whole number of milliseconds ("500ms", "1.2s", "1m30s").
 * Flagger truncates request-duration values to whole milliseconds before printing them.
 */
export function goDuration(ms: number): string {
  const whole = Math.trunc(ms);
  if (whole === 0) return '0s';
  if (whole < 0) return `-${goDuration(-whole)}`;
  if (whole < 1000) return `${whole}ms`;
  const hours = Math.floor(whole / 3_600_000);
  const minutes = Math.floor((whole % 3_600_000) / 60_000);
  const seconds = (whole % 60_000) / 1000;
  const secondsText = `${Number(seconds.toFixed(3))}s`;
  if (hours > 0) return `${hours}h${minutes}m${secondsText}`;
  if (minutes > 0) return `${minutes}m${secondsText}`;
  return secondsText;
}
