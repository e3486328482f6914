import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeCanaryApi } from '../../testing/FakeCanaryApi';
import { rolloutWithChecks, rollouts } from '../../testing/fixtures';
import { renderCanary } from '../../testing/render';
import { HistoryTable } from './HistoryTable';

const ref = { cluster: 'local', namespace: 'demo', name: 'podinfo' };

describe('HistoryTable', () => {
  it('lists rollouts with revision, images, start, duration, outcome, reason and who acted', async () => {
    const api = new FakeCanaryApi({ rollouts: { items: rollouts } });
    await renderCanary(<HistoryTable canaryRef={ref} />, { api });
    const failed = (await screen.findByText('9e8d7c6b5')).closest('tr')!;
    expect(failed).toHaveTextContent('6.0.1 → 6.0.2');
    expect(failed).toHaveTextContent('1 hour ago');
    expect(failed).toHaveTextContent('4m 30s');
    expect(within(failed).getByText('Failed')).toBeInTheDocument();
    expect(failed).toHaveTextContent('Canary analysis failed: success rate 62.5% < 99%');
    expect(failed).toHaveTextContent('abort by user:default/jane ("errors in checkout")');
    expect(failed).toHaveTextContent('5/8 failed');
    const promoted = screen.getByText('5b4c3d2a1').closest('tr')!;
    expect(promoted).toHaveTextContent('Succeeded');
    expect(promoted).toHaveTextContent('6m');
    expect(api.calls.listRollouts).toEqual([{ ref, page: { limit: 10 } }]);
  });

  it('marks a refused action and joins several actors', async () => {
    const rollout = {
      ...rollouts[0]!,
      actors: [
        {
          action: 'promote',
          by: 'user:default/sam',
          at: '2026-11-22T09:01:00.000Z',
          outcome: 'Refused' as const,
        },
        { action: 'abort', by: 'user:default/jane', at: '2026-11-22T09:04:00.000Z' },
      ],
    };
    await renderCanary(<HistoryTable canaryRef={ref} />, {
      api: new FakeCanaryApi({ rollouts: { items: [rollout] } }),
    });
    expect((await screen.findByText('9e8d7c6b5')).closest('tr')).toHaveTextContent(
      'promote by user:default/sam, refused; abort by user:default/jane',
    );
  });

  it('drills down into every check of a past rollout with its chart', async () => {
    const api = new FakeCanaryApi({ rollouts: { items: rollouts }, rollout: rolloutWithChecks() });
    await renderCanary(<HistoryTable canaryRef={ref} />, { api });
    await userEvent.click(await screen.findByRole('button', { name: 'Checks of 9e8d7c6b5' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('Rollout of revision 9e8d7c6b5 (Failed)');
    await waitFor(() => expect(within(dialog).getAllByRole('row')).toHaveLength(4));
    const rows = within(dialog).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('99.8%');
    expect(rows[2]).toHaveTextContent('81.25%');
    expect(rows[2]).toHaveTextContent('fail');
    expect(rows[3]).toHaveTextContent('no data');
    expect(within(dialog).getByTestId('check-chart-request-success-rate')).toBeInTheDocument();
    expect(dialog.querySelectorAll('.recharts-line-curve').length).toBeGreaterThan(0);
    expect(dialog).toHaveTextContent('Rolling back podinfo.demo failed checks threshold reached 5');
    expect(api.calls.getRollout).toEqual(['r-2']);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  it('shows why a rollout could not be read', async () => {
    const api = new FakeCanaryApi({ rollouts: { items: rollouts } });
    await renderCanary(<HistoryTable canaryRef={ref} />, { api });
    await userEvent.click(await screen.findByRole('button', { name: 'Checks of 5b4c3d2a1' }));
    expect((await screen.findAllByText(/no rollout r-1/)).length).toBeGreaterThan(0);
  });

  it('loads older pages on demand', async () => {
    const api = new FakeCanaryApi({
      rollouts: async (_ref: unknown, page?: { before?: string }) =>
        page?.before ? { items: [rollouts[1]!] } : { items: [rollouts[0]!], next: 'r-2' },
    });
    await renderCanary(<HistoryTable canaryRef={ref} />, { api });
    expect(await screen.findByText('9e8d7c6b5')).toBeInTheDocument();
    expect(screen.queryByText('5b4c3d2a1')).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Load older rollouts' }));
    expect(await screen.findByText('5b4c3d2a1')).toBeInTheDocument();
    expect(api.calls.listRollouts[1]).toEqual({ ref, page: { limit: 10, before: 'r-2' } });
    expect(screen.queryByRole('button', { name: 'Load older rollouts' })).not.toBeInTheDocument();
  });

  it('says when nothing is recorded and when the history cannot be read', async () => {
    const { unmount } = await renderCanary(<HistoryTable canaryRef={ref} />, {
      api: new FakeCanaryApi(),
    });
    expect(await screen.findByText('No rollouts recorded yet.')).toBeInTheDocument();
    unmount();
    await renderCanary(<HistoryTable canaryRef={ref} />, {
      api: new FakeCanaryApi({ rollouts: new Error('history store offline') }),
    });
    expect((await screen.findAllByText(/history store offline/)).length).toBeGreaterThan(0);
  });
});
