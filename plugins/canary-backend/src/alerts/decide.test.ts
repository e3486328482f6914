import { AlertDedup, alertOutcomeOf } from './decide';
import { describeAlert } from './message';
import { rollout } from './__testUtils__/rollouts';

describe('alertOutcomeOf', () => {
  const now = new Date('2026-11-22T08:00:00Z');

  it.each([
    ['Failed', 'Running', 'Failed'],
    ['WaitingPromotion', 'Running', 'WaitingPromotion'],
    ['WaitingPromotion', undefined, 'WaitingPromotion'],
    ['Succeeded', 'WaitingPromotion', 'Succeeded'],
  ] as const)('alerts %s after %s', (outcome, previous, expected) => {
    expect(alertOutcomeOf({ rollout: rollout(outcome), previousOutcome: previous }, now)).toBe(
      expected,
    );
  });

  it('alerts a rollout first seen finished only if it ended within the last 15 minutes', () => {
    const endedAt = (minutesAgo: number) =>
      new Date(now.getTime() - minutesAgo * 60_000).toISOString();
    const seen = (outcome: 'Failed' | 'Succeeded', ago?: number) =>
      alertOutcomeOf(
        { rollout: rollout(outcome, ago === undefined ? {} : { endedAt: endedAt(ago) }) },
        now,
      );
    expect(seen('Failed', 14)).toBe('Failed');
    expect(seen('Succeeded', 1)).toBe('Succeeded');
    expect(seen('Failed', 16)).toBeUndefined();
    expect(seen('Succeeded', 60 * 24)).toBeUndefined();
    expect(seen('Succeeded')).toBeUndefined();
  });

  it.each([
    ['Running', undefined],
    ['Running', 'WaitingPromotion'],
    ['Superseded', 'Running'],
    ['Failed', 'Failed'],
  ] as const)('stays quiet for %s after %s', (outcome, previous) => {
    expect(
      alertOutcomeOf({ rollout: rollout(outcome), previousOutcome: previous }),
    ).toBeUndefined();
  });
});

describe('AlertDedup', () => {
  it('accepts each (rollout, outcome) once', () => {
    const dedup = new AlertDedup();
    expect(dedup.first({ id: 'a' }, 'Failed')).toBe(true);
    expect(dedup.first({ id: 'a' }, 'Failed')).toBe(false);
    expect(dedup.first({ id: 'a' }, 'Succeeded')).toBe(true);
    expect(dedup.first({ id: 'b' }, 'Failed')).toBe(true);
  });

  it('forgets the oldest pair beyond its capacity', () => {
    const dedup = new AlertDedup(2);
    dedup.first({ id: 'a' }, 'Failed');
    dedup.first({ id: 'b' }, 'Failed');
    dedup.first({ id: 'c' }, 'Failed');
    expect(dedup.first({ id: 'c' }, 'Failed')).toBe(false);
    expect(dedup.first({ id: 'a' }, 'Failed')).toBe(true);
  });
});

describe('describeAlert', () => {
  const entity = {
    entityRef: 'component:shop/podinfo',
    kind: 'Component',
    namespace: 'shop',
    name: 'podinfo',
    owner: 'group:shop/team-a',
  };

  it('says what failed and why, high severity, linking the Canary tab', () => {
    const message = describeAlert(
      rollout('Failed', { reason: 'request-success-rate 91.2% < 99%' }),
      'Failed',
      entity,
      'https://portal.example.com/',
    );
    expect(message).toMatchObject({
      title: 'Canary rolled back: shop/podinfo on prod',
      severity: 'high',
      scope: 'canary:prod:shop/podinfo:7f9c4d',
      link: '/catalog/shop/component/podinfo/canary',
      url: 'https://portal.example.com/catalog/shop/component/podinfo/canary',
      owner: 'group:shop/team-a',
      entityRef: 'component:shop/podinfo',
    });
    expect(message.text).toContain('failed: request-success-rate 91.2% < 99%');
    expect(message.text).toContain('canary weight reached 30%, 2 failed checks');
  });

  it('asks for approval with normal severity and the same scope for the same rollout', () => {
    const waiting = describeAlert(rollout('WaitingPromotion'), 'WaitingPromotion', entity);
    const done = describeAlert(rollout('Succeeded'), 'Succeeded', entity);
    expect(waiting.severity).toBe('normal');
    expect(waiting.title).toBe('Canary needs approval: shop/podinfo on prod');
    expect(waiting.text).toContain('waits for approval');
    expect(done.severity).toBe('low');
    expect(done.scope).toBe(waiting.scope);
    expect(waiting.url).toBeUndefined();
  });

  it('has no link or owner without an entity', () => {
    const message = describeAlert(rollout('Failed'), 'Failed', undefined);
    expect(message.link).toBeUndefined();
    expect(message.owner).toBeUndefined();
  });
});
