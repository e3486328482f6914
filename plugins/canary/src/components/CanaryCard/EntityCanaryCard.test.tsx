import { screen } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import { DateTime } from 'luxon';
import { ResponseError } from '@backstage/errors';
import { canaryApiRef } from '../../api/CanaryApi';
import { FakeCanaryApi } from '../../testing/FakeCanaryApi';
import {
  abCanary,
  entity,
  entityWithoutAnnotation,
  failedCanary,
  NOW,
  progressingCanary,
} from '../../testing/fixtures';
import { ClockProvider } from '../status/clock';
import { EntityCanaryCard } from './EntityCanaryCard';

function render(api: FakeCanaryApi, subject: Entity = entity) {
  return renderInTestApp(
    <TestApiProvider apis={[[canaryApiRef, api]]}>
      <ClockProvider now={() => DateTime.fromISO(NOW)}>
        <EntityProvider entity={subject}>
          <EntityCanaryCard />
        </EntityProvider>
      </ClockProvider>
    </TestApiProvider>,
  );
}

const ref = { cluster: 'local', namespace: 'demo', name: 'podinfo' };

describe('EntityCanaryCard', () => {
  it('shows a progressing canary: phase, verdict, weight toward maxWeight, checks, images, transition', async () => {
    const api = new FakeCanaryApi({
      entityCanaries: {
        entityRef: 'component:default/podinfo',
        canaries: [{ ref, state: progressingCanary() }],
      },
    });
    await render(api);
    expect(await screen.findByTestId('canary-verdict')).toHaveTextContent(
      'Analysing 6.0.1: weight 30% of 50%, all checks passing',
    );
    expect(screen.getByTestId('canary-phase')).toHaveAttribute('data-tone', 'running');
    expect(screen.getByTestId('canary-progress')).toHaveTextContent('weight 30% of 50%');
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '60');
    expect(screen.getByTestId('canary-failed-checks')).toHaveTextContent('0 / 5');
    expect(screen.getByTestId('canary-primary-images')).toHaveTextContent('podinfo:6.0.0');
    expect(screen.getByTestId('canary-canary-images')).toHaveTextContent('podinfo:6.0.1');
    expect(screen.getByText('3 minutes ago')).toBeInTheDocument();
  });

  it('shows iterations for an A/B canary', async () => {
    const api = new FakeCanaryApi({
      entityCanaries: { entityRef: '', canaries: [{ ref, state: abCanary() }] },
    });
    await render(api);
    expect(await screen.findByTestId('canary-progress')).toHaveTextContent('iteration 3/10');
    expect(screen.getByTestId('canary-progress')).toHaveAttribute('data-kind', 'iterations');
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '30');
  });

  it('shows a failed canary in the error colour with the failing check', async () => {
    const api = new FakeCanaryApi({
      entityCanaries: { entityRef: '', canaries: [{ ref, state: failedCanary() }] },
    });
    await render(api);
    expect(await screen.findByTestId('canary-verdict')).toHaveTextContent(
      'Halted: success rate 62.5% < 99%',
    );
    expect(screen.getByTestId('canary-phase')).toHaveAttribute('data-tone', 'error');
    expect(screen.getByTestId('canary-failed-checks')).toHaveTextContent('5 / 5');
  });

  it('renders one section per canary and a per-canary error inline', async () => {
    const api = new FakeCanaryApi({
      entityCanaries: {
        entityRef: '',
        canaries: [
          { ref, state: progressingCanary() },
          {
            ref: { cluster: 'prod', namespace: 'shop', name: 'cart' },
            error: { status: 503, message: 'controller prod is unreachable' },
          },
        ],
      },
    });
    await render(api);
    expect(await screen.findByTestId('canary-state-demo-podinfo')).toBeInTheDocument();
    expect(screen.getByText(/Canary shop\/cart on prod is unavailable/)).toBeInTheDocument();
    expect(screen.getByText(/controller prod is unreachable \(HTTP 503\)/)).toBeInTheDocument();
  });

  it('explains the missing annotation without calling the backend', async () => {
    const api = new FakeCanaryApi();
    const spy = jest.spyOn(api, 'getEntityCanaries');
    await render(api, entityWithoutAnnotation);
    expect(screen.getAllByText(/aviary\.dev\/canary/).length).toBeGreaterThan(0);
    expect(screen.getByText(/Missing Annotation/i)).toBeInTheDocument();
    expect(spy).not.toHaveBeenCalled();
  });

  it('names a malformed annotation', async () => {
    const api = new FakeCanaryApi();
    await render(api, {
      ...entity,
      metadata: { ...entity.metadata, annotations: { 'aviary.dev/canary': 'podinfo' } },
    });
    expect(screen.getByText(/The aviary\.dev\/canary annotation is not valid/)).toBeInTheDocument();
    expect(screen.getByText(/must look like \[cluster:\]namespace\/name/)).toBeInTheDocument();
  });

  it('shows a progress indicator while loading', async () => {
    const api = new FakeCanaryApi({ entityCanaries: () => new Promise(() => {}) });
    await render(api);
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    const response = {
      ok: false,
      status: 500,
      statusText: 'Internal Server Error',
      url: 'http://localhost/api/canary/entity',
      headers: new Headers({ 'content-type': 'application/json' }),
      text: async () =>
        JSON.stringify({
          error: { name: 'Error', message: 'database is down' },
          response: { statusCode: 500 },
        }),
    };
    const error = await ResponseError.fromResponse(response as unknown as Response);
    const api = new FakeCanaryApi({ entityCanaries: error });
    await render(api);
    expect((await screen.findAllByText(/database is down/)).length).toBeGreaterThan(0);
  });

  it('says so when the backend knows no canary', async () => {
    const api = new FakeCanaryApi({ entityCanaries: { entityRef: '', canaries: [] } });
    await render(api);
    expect(await screen.findByText('No canaries')).toBeInTheDocument();
  });
});
