import { act, screen, waitFor, within } from '@testing-library/react';
import type { CanarySummary } from '@aviary/backstage-plugin-canary-common';
import { FakeCanaryApi } from '../../testing/FakeCanaryApi';
import {
  abCanary,
  entity,
  entityWithoutAnnotation,
  passingChecks,
  progressingCanary,
  rollouts,
} from '../../testing/fixtures';
import { renderCanary } from '../../testing/render';
import { EntityCanaryContent } from './EntityCanaryContent';

const ref = { cluster: 'local', namespace: 'demo', name: 'podinfo' };
const cartRef = { cluster: 'prod', namespace: 'shop', name: 'cart' };

function summaryOf(over: Partial<CanarySummary> = {}): CanarySummary {
  const { cluster, namespace, name, target, phase, weight, failedChecks, iterations, paused } =
    progressingCanary();
  return {
    cluster,
    namespace,
    name,
    target,
    phase,
    weight,
    failedChecks,
    iterations,
    paused,
    revision: '7c9d8f6b5',
    lastTransitionTime: '2026-11-22T09:58:00.000Z',
    ...over,
  };
}

function apiWithTwoCanaries(extra: ConstructorParameters<typeof FakeCanaryApi>[0] = {}) {
  return new FakeCanaryApi({
    entityCanaries: {
      entityRef: 'component:default/podinfo',
      canaries: [
        { ref, state: progressingCanary() },
        { ref: cartRef, error: { status: 502, message: 'controller prod did not answer' } },
      ],
    },
    rollouts: { items: rollouts },
    ...extra,
  });
}

describe('EntityCanaryContent', () => {
  it('shows state, charts, events, history and actions, and a per-canary error inline', async () => {
    const api = apiWithTwoCanaries();
    await renderCanary(<EntityCanaryContent />, { api, entity });
    expect(await screen.findByTestId('canary-verdict')).toHaveTextContent(
      'Analysing 6.0.1: weight 30% of 50%, all checks passing',
    );
    expect(screen.getByTestId('stream-state')).toHaveTextContent('Live');
    const rate = screen.getByTestId('check-chart-request-success-rate');
    expect(rate.querySelectorAll('.recharts-line-dot')).toHaveLength(2);
    expect(rate.querySelector('.recharts-reference-line')).toHaveTextContent('min 99%');
    expect(screen.getByTestId('check-chart-request-duration')).toBeInTheDocument();
    const weight = screen.getByTestId('weight-chart');
    expect(weight.querySelectorAll('.recharts-line-dot')).toHaveLength(4);
    const events = screen.getAllByTestId('canary-event');
    expect(events[0]).toHaveTextContent('Advance podinfo.demo canary weight 30');
    expect(events[0]).toHaveTextContent('3 minutes ago');
    expect(await screen.findByText('9e8d7c6b5')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Promote' })).toBeInTheDocument();
    expect(screen.getByText(/Canary shop\/cart on prod is unavailable/)).toBeInTheDocument();
    expect(screen.getByText(/controller prod did not answer \(HTTP 502\)/)).toBeInTheDocument();
  });

  it('shows iterations and no weight chart for an A/B canary', async () => {
    const api = new FakeCanaryApi({
      entityCanaries: { entityRef: '', canaries: [{ ref, state: abCanary() }] },
    });
    await renderCanary(<EntityCanaryContent />, { api, entity });
    expect(await screen.findByTestId('canary-progress')).toHaveTextContent('iteration 3/10');
    expect(screen.queryByTestId('weight-chart')).not.toBeInTheDocument();
  });

  it('follows the stream: shows a message at once, then re-reads the full detail', async () => {
    const reread = progressingCanary({
      weight: 40,
      lastTransitionTime: '2026-11-22T09:58:00.000Z',
      checks: [
        ...passingChecks,
        {
          time: '2026-11-22T09:58:00.000Z',
          metric: 'request-success-rate',
          value: 99.9,
          outcome: 'value',
          thresholdRange: { min: 99 },
          verdict: 'pass',
        },
      ],
    });
    let release: () => void = () => {};
    const gate = new Promise<void>(resolve => {
      release = resolve;
    });
    const api = apiWithTwoCanaries({ canary: async () => gate.then(() => reread) });
    await renderCanary(<EntityCanaryContent />, { api, entity });
    await screen.findByTestId('canary-verdict');

    act(() => api.emit({ type: 'canary', canary: summaryOf({ weight: 40 }) }));
    expect(screen.getByTestId('canary-verdict')).toHaveTextContent(
      'Analysing 6.0.1: weight 40% of 50%, all checks passing',
    );
    expect(screen.getByTestId('weight-chart').querySelectorAll('.recharts-line-dot')).toHaveLength(
      5,
    );
    expect(api.calls.getCanary).toEqual([ref]);
    // The stream shows the summary; the checks come with the full read.
    expect(
      screen.getByTestId('check-chart-request-success-rate').querySelectorAll('.recharts-line-dot'),
    ).toHaveLength(2);
    await act(async () => release());
    await waitFor(() =>
      expect(
        screen
          .getByTestId('check-chart-request-success-rate')
          .querySelectorAll('.recharts-line-dot'),
      ).toHaveLength(3),
    );
  });

  it('ignores messages about other canaries', async () => {
    const api = apiWithTwoCanaries();
    await renderCanary(<EntityCanaryContent />, { api, entity });
    await screen.findByTestId('canary-verdict');
    act(() =>
      api.emit({ type: 'canary', canary: summaryOf({ name: 'someone-else', weight: 50 }) }),
    );
    expect(screen.getByTestId('canary-verdict')).toHaveTextContent('weight 30% of 50%');
    expect(api.calls.getCanary).toEqual([]);
  });

  it('reloads the history when the stream reports a rollout of this canary', async () => {
    const api = apiWithTwoCanaries();
    await renderCanary(<EntityCanaryContent />, { api, entity });
    await screen.findByText('9e8d7c6b5');
    expect(api.calls.listRollouts).toHaveLength(1);
    act(() => api.emit({ type: 'rollout', rollout: { ...rollouts[0]!, name: 'other' } }));
    act(() => api.emit({ type: 'rollout', rollout: rollouts[0]! }));
    await waitFor(() => expect(api.calls.listRollouts).toHaveLength(2));
  });

  it('turns a deleted canary into an inline error', async () => {
    const api = apiWithTwoCanaries();
    await renderCanary(<EntityCanaryContent />, { api, entity });
    await screen.findByTestId('canary-verdict');
    act(() => api.emit({ type: 'canary', canary: summaryOf(), deleted: true }));
    expect(screen.getByText(/Canary demo\/podinfo on local is unavailable/)).toBeInTheDocument();
    expect(screen.getByText(/The canary was deleted \(HTTP 404\)/)).toBeInTheDocument();
  });

  it('shows a reconnecting stream, and stops listening when unmounted', async () => {
    const api = apiWithTwoCanaries();
    const { unmount } = await renderCanary(<EntityCanaryContent />, { api, entity });
    await screen.findByTestId('canary-verdict');
    expect(api.subscriberCount).toBe(1);
    act(() => api.emitState('retrying', new Error('network down')));
    expect(within(screen.getByTestId('stream-state')).getByText('Reconnecting…')).toBeVisible();
    unmount();
    expect(api.subscriberCount).toBe(0);
  });

  it('explains a missing annotation', async () => {
    await renderCanary(<EntityCanaryContent />, {
      api: new FakeCanaryApi(),
      entity: entityWithoutAnnotation,
    });
    expect(screen.getByText(/Missing Annotation/i)).toBeInTheDocument();
  });
});
