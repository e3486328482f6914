import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router-dom';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { canaryApiRef } from '../../api/CanaryApi';
import { FakeCanaryApi } from '../../testing/FakeCanaryApi';
import { overviewItems } from '../../testing/fixtures';
import { ClockProvider } from '../status/clock';
import { DateTime } from 'luxon';
import { NOW } from '../../testing/fixtures';
import { CanaryOverviewPage } from './CanaryOverviewPage';
import type { OverviewFilter } from '../../api/CanaryApi';

function Search() {
  return <div data-testid="search">{useLocation().search}</div>;
}

function filterButton(label: string) {
  return within(screen.getByTestId('overview-filters')).getByRole('button', {
    name: new RegExp(`^${label}`),
  });
}

function render(api: FakeCanaryApi, search = '') {
  return renderInTestApp(
    <TestApiProvider apis={[[canaryApiRef, api]]}>
      <ClockProvider now={() => DateTime.fromISO(NOW)}>
        <CanaryOverviewPage />
        <Search />
      </ClockProvider>
    </TestApiProvider>,
    {
      routeEntries: [`/canary${search}`],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

function filtering(items = overviewItems) {
  return new FakeCanaryApi({
    overview: async (filter?: OverviewFilter) => ({
      items: items.filter(
        i =>
          (!filter?.owner || i.owner === filter.owner) &&
          (!filter?.phase || i.canary.phase === filter.phase) &&
          (!filter?.cluster || i.canary.cluster === filter.cluster),
      ),
      unreachable: [],
    }),
  });
}

describe('CanaryOverviewPage', () => {
  it('lists every canary with entity and owner links, phase, weight and last rollout', async () => {
    const api = filtering();
    await render(api);
    const row = (await screen.findByText('local:demo/podinfo')).closest('tr')!;
    expect(within(row).getByRole('link', { name: /podinfo/ })).toHaveAttribute(
      'href',
      '/catalog/default/component/podinfo',
    );
    expect(within(row).getByRole('link', { name: /team-a/ })).toHaveAttribute(
      'href',
      '/catalog/default/group/team-a',
    );
    expect(within(row).getByTestId('canary-phase')).toHaveAttribute('data-tone', 'running');
    expect(row).toHaveTextContent('30%');
    expect(row).toHaveTextContent('Succeeded');
    expect(row).toHaveTextContent('5b4c3d2a1');
    expect(row).toHaveTextContent('1 day ago');
    const cart = screen.getByText('prod:shop/cart').closest('tr')!;
    expect(within(cart).getByTestId('canary-phase')).toHaveAttribute('data-tone', 'error');
    expect(screen.getByText('Canaries (2)')).toBeInTheDocument();
    expect(api.calls.getOverview).toEqual([{}]);
  });

  it('filters through the backend and writes the filter into the query string', async () => {
    const api = filtering();
    await render(api);
    await screen.findByText('local:demo/podinfo');
    await userEvent.click(filterButton('Phase'));
    await userEvent.click(await screen.findByRole('option', { name: 'Failed' }));
    await waitFor(() => expect(screen.getByTestId('search')).toHaveTextContent('?phase=Failed'));
    await waitFor(() => expect(screen.queryByText('local:demo/podinfo')).not.toBeInTheDocument());
    expect(screen.getByText('prod:shop/cart')).toBeInTheDocument();
    expect(api.calls.getOverview).toContainEqual({ phase: 'Failed' });

    await userEvent.click(filterButton('Owner'));
    await userEvent.click(await screen.findByRole('option', { name: 'group:default/team-a' }));
    await waitFor(() =>
      expect(screen.getByTestId('search')).toHaveTextContent(
        '?phase=Failed&owner=group%3Adefault%2Fteam-a',
      ),
    );
    expect(await screen.findByText('No canary matches these filters.')).toBeInTheDocument();

    await userEvent.click(filterButton('Phase'));
    await userEvent.click(await screen.findByRole('option', { name: 'All' }));
    await waitFor(() =>
      expect(screen.getByTestId('search')).toHaveTextContent('?owner=group%3Adefault%2Fteam-a'),
    );
    expect(await screen.findByText('local:demo/podinfo')).toBeInTheDocument();
  });

  it('starts from the filters in the query string', async () => {
    const api = filtering();
    await render(api, '?cluster=prod');
    expect(await screen.findByText('prod:shop/cart')).toBeInTheDocument();
    expect(screen.queryByText('local:demo/podinfo')).not.toBeInTheDocument();
    expect(api.calls.getOverview).toContainEqual({ cluster: 'prod' });
    expect(filterButton('Cluster')).toHaveTextContent('prod');
  });

  it('shows a canary that no entity names, without owner or history', async () => {
    const lonely = { canary: { ...overviewItems[0]!.canary, name: 'lonely' } };
    await render(new FakeCanaryApi({ overview: { items: [lonely], unreachable: [] } }));
    const row = (await screen.findByText('local:demo/lonely')).closest('tr')!;
    expect(row).toHaveTextContent('no entity');
    expect(within(row).queryByRole('link')).not.toBeInTheDocument();
  });

  it('warns about unreachable controllers', async () => {
    const api = new FakeCanaryApi({ overview: { items: overviewItems, unreachable: ['prod'] } });
    await render(api);
    expect(await screen.findByText(/Unreachable controllers: prod/)).toBeInTheDocument();
  });

  it('shows loading, errors and an empty list', async () => {
    const { unmount } = await render(new FakeCanaryApi({ overview: () => new Promise(() => {}) }));
    expect(screen.getByTestId('progress')).toBeInTheDocument();
    unmount();
    const second = await render(new FakeCanaryApi({ overview: new Error('backend exploded') }));
    expect((await screen.findAllByText(/backend exploded/)).length).toBeGreaterThan(0);
    second.unmount();
    await render(new FakeCanaryApi());
    expect(await screen.findByText('No canaries yet.')).toBeInTheDocument();
  });
});
