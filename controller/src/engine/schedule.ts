// Traffic schedules (spec 2.6 and 2.8): pure functions of the spec and the weight recorded in
// status, so a re-run of a tick computes the same target instead of stepping twice.
import type { EngineSpec } from './spec.js';

/**
 * Canary strategy: the canary weight after the next successful step from `current`, or undefined
 * when the spec defines no step. With stepWeights the next weight is the first rung above
 * `current` (Flagger jumps to 100 when `current` is not on the ladder, e.g. after the ladder was
 * edited mid-analysis; a user expects the next rung instead).
 */
export function nextCanaryWeight(spec: EngineSpec, current: number): number | undefined {
  if (spec.stepWeight > 0) return Math.min(100, current + spec.stepWeight);
  return spec.stepWeights.find(rung => rung > current);
}

/** Promotion starts once the canary carries at least maxWeight (it may overshoot, as Flagger). */
export function maxWeightReached(spec: EngineSpec, current: number): boolean {
  return current >= spec.maxWeight;
}

/** Canary weight after one promotion step (`stepWeightPromotion`; 0 means all at once). */
export function nextPromotionWeight(spec: EngineSpec, current: number): number {
  if (spec.stepWeightPromotion <= 0) return 0;
  return Math.max(0, current - spec.stepWeightPromotion);
}

/** Every canary weight a successful canary-strategy run writes, in order (for tests and UIs). */
export function canaryWeightSchedule(spec: EngineSpec): number[] {
  const weights: number[] = [];
  let current = 0;
  while (!maxWeightReached(spec, current)) {
    const next = nextCanaryWeight(spec, current);
    if (next === undefined || next <= current) break;
    weights.push(next);
    current = next;
  }
  return weights;
}

/** Canary weights written while promoting from `from` down to 0. */
export function promotionWeightSchedule(spec: EngineSpec, from: number): number[] {
  const weights: number[] = [];
  let current = from;
  do {
    current = nextPromotionWeight(spec, current);
    weights.push(current);
  } while (current > 0);
  return weights;
}
