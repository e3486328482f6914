import { resolveCanary, type ResolvedCanarySpec } from './resolve.js';
import { canaryWithAnalysis } from './test-support/fixtures.js';

function analysisOf(fields: Record<string, unknown>): ResolvedCanarySpec['analysis'] {
  const result = resolveCanary(canaryWithAnalysis(fields));
  if (!result.ok) throw new Error(result.problems.map(p => p.message).join('; '));
  return result.spec.analysis;
}

describe('resolveCanary: webhook, alert and session affinity defaults', () => {
  const hook = (fields: Record<string, unknown>) =>
    analysisOf({ webhooks: [{ name: 'h', url: 'http://h/', ...fields }] }).webhooks[0]!;

  it('makes an untyped webhook a rollout hook with a 10s timeout and no retries', () => {
    expect(hook({})).toEqual({
      name: 'h',
      type: 'rollout',
      url: 'http://h/',
      timeoutMs: 10_000,
      retries: 0,
      disableTLS: false,
      muteAlert: false,
      metadata: {},
    });
    expect(hook({ type: '' }).type).toBe('rollout');
  });

  it('uses the given timeout, and 10s for a zero timeout', () => {
    expect(hook({ timeout: '30s' }).timeoutMs).toBe(30_000);
    expect(hook({ timeout: '1m30s' }).timeoutMs).toBe(90_000);
    expect(hook({ timeout: '0s' }).timeoutMs).toBe(10_000);
  });

  it('sends every severity to an alert without severity, and finds providers in the canary namespace', () => {
    const alerts = analysisOf({
      alerts: [
        { name: 'a', providerRef: { name: 'slack' } },
        { name: 'b', severity: '', providerRef: { name: 'teams', namespace: 'ops' } },
      ],
    }).alerts;
    expect(alerts).toEqual([
      { name: 'a', severity: 'info', providerRef: { name: 'slack', namespace: 'test' } },
      { name: 'b', severity: 'info', providerRef: { name: 'teams', namespace: 'ops' } },
    ]);
  });

  it('keeps the cookie for a day by default, also for maxAge 0', () => {
    const affinity = (fields: Record<string, unknown>) =>
      analysisOf({ sessionAffinity: { cookieName: 'c', ...fields } }).sessionAffinity;
    expect(affinity({})).toEqual({
      cookieName: 'c',
      maxAge: 86_400,
      httpOnly: false,
      secure: false,
      partitioned: false,
    });
    expect(affinity({ maxAge: 0 })!.maxAge).toBe(86_400);
    expect(affinity({ maxAge: 300 })!.maxAge).toBe(300);
  });
});

describe('resolveCanary: judge defaults', () => {
  const metrics = [
    { name: 'request-duration', thresholdRange: { max: 500 } },
    { name: 'errors', query: 'x', thresholdRange: { max: 1 } },
    { name: 'request-success-rate', thresholdRange: { min: 99 } },
  ];

  it('compares the built-in metrics with 10% tolerance at 95% confidence', () => {
    expect(analysisOf({ metrics, judge: { type: 'compare' } }).judge).toEqual({
      type: 'compare',
      confidence: 95,
      metrics: [
        { name: 'request-duration', direction: 'lowerIsBetter', maxRelativeDegradation: 10 },
        { name: 'request-success-rate', direction: 'higherIsBetter', maxRelativeDegradation: 10 },
      ],
    });
  });

  it('applies the judge-wide tolerance to metrics without their own', () => {
    const judge = analysisOf({
      metrics,
      judge: {
        type: 'compare',
        maxRelativeDegradation: 20,
        confidence: 99,
        metrics: [
          { name: 'errors', direction: 'lowerIsBetter' },
          { name: 'request-duration', maxRelativeDegradation: 5 },
        ],
      },
    }).judge;
    expect(judge).toEqual({
      type: 'compare',
      confidence: 99,
      metrics: [
        { name: 'errors', direction: 'lowerIsBetter', maxRelativeDegradation: 20 },
        { name: 'request-duration', direction: 'lowerIsBetter', maxRelativeDegradation: 5 },
      ],
    });
  });
});
