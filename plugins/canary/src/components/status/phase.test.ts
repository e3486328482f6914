import type { CanaryPhase } from '@aviary/backstage-plugin-canary-common';
import { abCanary, progressingCanary } from '../../testing/fixtures';
import {
  allowedActions,
  canaryProgress,
  describeProgress,
  phaseLabel,
  phaseTone,
  PHASES,
} from './phase';

describe('phaseTone', () => {
  it.each<[CanaryPhase | '', string]>([
    ['', 'pending'],
    ['Initializing', 'pending'],
    ['Initialized', 'ok'],
    ['Waiting', 'pending'],
    ['Progressing', 'running'],
    ['WaitingPromotion', 'warning'],
    ['Promoting', 'running'],
    ['Finalising', 'running'],
    ['Succeeded', 'ok'],
    ['Failed', 'error'],
    ['Terminating', 'pending'],
    ['Terminated', 'aborted'],
  ])('%p is %s', (phase, tone) => {
    expect(phaseTone({ phase, paused: false, failedChecks: 0 })).toBe(tone);
  });

  it('covers every phase', () => {
    expect(PHASES).toHaveLength(11);
  });

  it('warns while a progressing canary has failed checks', () => {
    expect(phaseTone({ phase: 'Progressing', paused: false, failedChecks: 1 })).toBe('warning');
  });

  it('warns while paused, whatever the phase', () => {
    expect(phaseTone({ phase: 'Progressing', paused: true, failedChecks: 0 })).toBe('warning');
  });
});

describe('phaseLabel', () => {
  it('names the phase, marks a pause and an unseen canary', () => {
    expect(phaseLabel({ phase: 'Progressing', paused: false })).toBe('Progressing');
    expect(phaseLabel({ phase: 'Progressing', paused: true })).toBe('Progressing (paused)');
    expect(phaseLabel({ phase: '', paused: false })).toBe('Unknown');
  });
});

describe('canaryProgress', () => {
  it('measures a progressive canary by weight toward maxWeight', () => {
    const progress = canaryProgress(progressingCanary());
    expect(progress).toEqual({ kind: 'weight', weight: 30, maxWeight: 50, percent: 60 });
    expect(describeProgress(progress)).toBe('weight 30% of 50%');
  });

  it('counts iterations for A/B and blue/green', () => {
    const progress = canaryProgress(abCanary());
    expect(progress).toEqual({ kind: 'iterations', iteration: 3, total: 10, percent: 30 });
    expect(describeProgress(progress)).toBe('iteration 3/10');
  });

  it('assumes 100% without maxWeight and clamps overshoot', () => {
    expect(canaryProgress(progressingCanary({ weight: 20, spec: {} })).percent).toBe(20);
    expect(canaryProgress(abCanary({ iterations: 12 })).percent).toBe(100);
  });
});

describe('allowedActions', () => {
  it.each<[CanaryPhase | '', boolean, string[]]>([
    ['Progressing', false, ['promote', 'pause', 'abort']],
    ['Progressing', true, ['promote', 'resume', 'abort']],
    ['WaitingPromotion', false, ['promote', 'abort']],
    ['WaitingPromotion', true, ['promote', 'resume', 'abort']],
    ['Failed', false, ['retry']],
    ['Succeeded', false, []],
    ['Initialized', false, []],
    ['Initializing', false, []],
    ['Waiting', false, []],
    ['Waiting', true, ['resume', 'abort']],
    ['Promoting', false, []],
    ['Finalising', false, []],
    ['Terminating', false, []],
    ['Terminated', false, []],
    ['', false, []],
  ])('%p paused=%p offers %p', (phase, paused, actions) => {
    expect(allowedActions({ phase, paused })).toEqual(actions);
  });
});
