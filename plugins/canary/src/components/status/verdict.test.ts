import type { CanaryPhase } from '@aviary/backstage-plugin-canary-common';
import { abCanary, failedCanary, progressingCanary } from '../../testing/fixtures';
import { canaryVersion, imageTag, primaryVersion, verdictSentence } from './verdict';

describe('imageTag', () => {
  it.each([
    ['ghcr.io/stefanprodan/podinfo:6.0.1', '6.0.1'],
    ['localhost:5000/podinfo:1.2', '1.2'],
    ['localhost:5000/podinfo', undefined],
    ['podinfo:2@sha256:abc', '2'],
    ['podinfo', undefined],
    [undefined, undefined],
  ])('%p → %p', (image, tag) => {
    expect(imageTag(image)).toBe(tag);
  });
});

describe('canaryVersion / primaryVersion', () => {
  it('falls back from the tag to the short revision to the target', () => {
    expect(canaryVersion(progressingCanary())).toBe('6.0.1');
    expect(canaryVersion(progressingCanary({ images: { canary: ['x/p'], primary: [] } }))).toBe(
      '7c9d8f6b',
    );
    expect(
      canaryVersion(
        progressingCanary({ images: { canary: [], primary: [] }, revision: undefined }),
      ),
    ).toBe('podinfo');
    expect(primaryVersion(progressingCanary())).toBe('6.0.0');
    expect(primaryVersion(progressingCanary({ images: { canary: [], primary: [] } }))).toBe(
      '5b4c3d2a',
    );
  });
});

describe('verdictSentence', () => {
  it('progressing, all passing', () => {
    expect(verdictSentence(progressingCanary())).toBe(
      'Analysing 6.0.1: weight 30% of 50%, all checks passing',
    );
  });

  it('progressing with failed checks names the latest failing check', () => {
    const canary = progressingCanary({
      failedChecks: 2,
      checks: [
        ...progressingCanary().checks,
        {
          time: '2026-11-22T09:58:00.000Z',
          metric: 'request-duration',
          value: 730,
          outcome: 'value',
          thresholdRange: { max: 500 },
          verdict: 'fail',
        },
      ],
    });
    expect(verdictSentence(canary)).toBe(
      'Analysing 6.0.1: weight 30% of 50%, 2 of 5 failed checks (latency 730ms > 500ms)',
    );
  });

  it('progressing with failed checks but no threshold or failing check listed', () => {
    const canary = progressingCanary({ failedChecks: 1, spec: {} });
    expect(verdictSentence(canary)).toBe('Analysing 6.0.1: weight 30% of 100%, 1 failed check');
  });

  it('A/B counts iterations', () => {
    expect(verdictSentence(abCanary())).toBe('Analysing 6.0.1: iteration 3/10, all checks passing');
  });

  it('failed: from the latest failing check', () => {
    expect(verdictSentence(failedCanary())).toBe('Halted: success rate 62.5% < 99%');
  });

  it('failed: from the message when no check failed', () => {
    expect(verdictSentence(failedCanary({ checks: [] }))).toBe(
      'Halted: Canary analysis failed: halt advancement',
    );
    expect(verdictSentence(failedCanary({ checks: [], message: undefined }))).toBe(
      'Halted: the analysis failed',
    );
  });

  it('paused wins over the phase', () => {
    expect(verdictSentence(progressingCanary({ paused: true }))).toBe(
      'Paused: 6.0.1 holds at weight 30% of 50% until resumed',
    );
  });

  it.each<[CanaryPhase | '', string]>([
    ['WaitingPromotion', 'Waiting for promotion of 6.0.1: analysis passed at weight 30% of 50%'],
    ['Promoting', 'Promoting 6.0.1: copying the canary to the primary'],
    ['Finalising', 'Finalising 6.0.1: routing all traffic to the primary'],
    ['Succeeded', 'Promoted 6.0.1: the primary runs it'],
    ['Initializing', 'Initializing: creating the primary deployment and routes'],
    ['Initialized', 'Idle: the primary runs 6.0.0, no rollout in progress'],
    ['Waiting', 'Waiting: Advance podinfo.demo canary weight 30'],
    ['Terminating', 'Terminating: handing podinfo back to its Deployment'],
    ['Terminated', 'Terminated: the canary no longer manages podinfo'],
    ['', 'Not yet seen by the controller'],
  ])('%p', (phase, sentence) => {
    expect(verdictSentence(progressingCanary({ phase }))).toBe(sentence);
  });

  it('idle and waiting without details', () => {
    expect(
      verdictSentence(
        progressingCanary({
          phase: 'Initialized',
          images: { canary: [], primary: [] },
          promotedRevision: undefined,
        }),
      ),
    ).toBe('Idle: no rollout in progress');
    expect(verdictSentence(progressingCanary({ phase: 'Waiting', message: undefined }))).toBe(
      'Waiting: the rollout has not started yet',
    );
  });
});
