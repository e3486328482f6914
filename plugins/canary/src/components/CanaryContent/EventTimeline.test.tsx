import { screen } from '@testing-library/react';
import { FakeCanaryApi } from '../../testing/FakeCanaryApi';
import { renderCanary } from '../../testing/render';
import { EventTimeline } from './EventTimeline';
import { StreamIndicator } from './StreamIndicator';

describe('EventTimeline', () => {
  it('lists events newest first with reason, age and repeat count, warnings marked', async () => {
    await renderCanary(
      <EventTimeline
        events={[
          {
            type: 'Warning',
            reason: 'Synced',
            message: 'Halt advancement podinfo.demo success rate 62.5% < 99%',
            count: 3,
            lastTimestamp: '2026-11-22T09:59:00.000Z',
          },
          {
            type: 'Normal',
            reason: 'Synced',
            message: 'Starting canary analysis',
            count: 1,
            firstTimestamp: '2026-11-22T08:00:00.000Z',
          },
        ]}
      />,
      { api: new FakeCanaryApi() },
    );
    const [warning, normal] = screen.getAllByTestId('canary-event');
    expect(warning).toHaveAttribute('data-type', 'Warning');
    expect(warning).toHaveTextContent('Halt advancement podinfo.demo success rate 62.5% < 99%');
    expect(warning).toHaveTextContent('Synced · 1 minute ago · ×3');
    expect(normal).toHaveTextContent('Synced · 2 hours ago');
    expect(normal).not.toHaveTextContent('×');
  });

  it('says when there are none', async () => {
    await renderCanary(<EventTimeline events={[]} />, { api: new FakeCanaryApi() });
    expect(screen.getByText('No events.')).toBeInTheDocument();
  });
});

describe('StreamIndicator', () => {
  it.each([
    ['connecting', 'Connecting…'],
    ['open', 'Live'],
    ['retrying', 'Reconnecting…'],
    ['failed', 'Live updates unavailable'],
  ] as const)('%s reads %s', async (state, text) => {
    await renderCanary(<StreamIndicator state={state} />, { api: new FakeCanaryApi() });
    expect(screen.getByTestId('stream-state')).toHaveTextContent(text);
  });

  it('shows nothing before the stream starts', async () => {
    await renderCanary(<StreamIndicator state={undefined} />, { api: new FakeCanaryApi() });
    expect(screen.queryByTestId('stream-state')).not.toBeInTheDocument();
  });
});
