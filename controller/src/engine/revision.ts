// Revision identity and new-revision detection (spec 2.3), level-triggered: the answer depends
// only on the target as observed now and on what status recorded, never on an earlier tick.
import { createHash } from 'node:crypto';
import type { CanaryStatus } from '../api/types.js';
import type { TargetObservation } from './types.js';

export function configsChanged(status: CanaryStatus, target: TargetObservation): boolean {
  const recorded = status.trackedConfigs ?? {};
  const current = target.trackedConfigs;
  const keys = Object.keys(current);
  if (keys.length !== Object.keys(recorded).length) return true;
  return keys.some(key => recorded[key] !== current[key]);
}

/**
 * Idle phases (Initialized, Succeeded, Failed): does the target hold a revision that was never
 * analysed? A pod template equal to the promoted one does not count (a revert to what the primary
 * already runs starts nothing); changed config data does.
 */
export function hasNewRevision(status: CanaryStatus, target: TargetObservation): boolean {
  if (!status.lastAppliedSpec) return true;
  if (configsChanged(status, target)) return true;
  return target.revision !== status.lastAppliedSpec && target.revision !== status.lastPromotedSpec;
}

/** Active phases: has the target moved away from the revision under analysis? */
export function revisionMoved(status: CanaryStatus, target: TargetObservation): boolean {
  return target.revision !== status.lastAppliedSpec || configsChanged(status, target);
}

/**
 * One string for "pod template + config data", stamped on the primary when it is created or
 * promoted. Comparing it with the revision under analysis tells a restarted controller whether
 * a promotion was already copied.
 */
export function revisionKey(spec: string, configs: Record<string, string> | undefined): string {
  const entries = Object.entries(configs ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256')
    .update(JSON.stringify([spec, entries]))
    .digest('hex')
    .slice(0, 16);
}

export function targetKey(target: TargetObservation): string {
  return revisionKey(target.revision, target.trackedConfigs);
}

export function analysedKey(status: CanaryStatus): string {
  return revisionKey(status.lastAppliedSpec ?? '', status.trackedConfigs);
}
