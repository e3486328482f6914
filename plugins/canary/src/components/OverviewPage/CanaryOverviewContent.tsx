import { useSearchParams } from 'react-router-dom';
import { Progress, ResponseErrorPanel, Table, WarningPanel } from '@backstage/core-components';
import type { TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';
import { canaryKey } from '@aviary/backstage-plugin-canary-common';
import type { OverviewItem } from '@aviary/backstage-plugin-canary-common';
import { canaryApiRef } from '../../api/CanaryApi';
import { useClock } from '../status/clock';
import { outcomeTone } from '../status/outcome';
import { PhaseStatus } from '../status/PhaseStatus';
import { relativeTime } from '../status/time';
import { ToneStatus } from '../status/ToneStatus';
import { filterFromSearch, filterOptions, withFilter } from './filters';
import { OverviewFilters } from './OverviewFilters';

/**
 * Every canary the user may see, filtered by the backend. The unfiltered list is read once for the
 * choices of the selects, so picking a filter never hides the other choices.
 */
export function CanaryOverviewContent() {
  const api = useApi(canaryApiRef);
  const now = useClock()();
  const [search, setSearch] = useSearchParams();
  const filter = filterFromSearch(search);
  const filtered = Boolean(filter.owner || filter.phase || filter.cluster);

  const all = useAsync(() => api.getOverview({}), [api]);
  const view = useAsync(
    async () => (filtered ? api.getOverview(filter) : undefined),
    [api, filter.owner, filter.phase, filter.cluster],
  );
  const loading = all.loading || view.loading;
  const error = view.error ?? all.error;
  const response = filtered ? view.value : all.value;

  const columns: TableColumn<OverviewItem>[] = [
    {
      title: 'Entity',
      render: item =>
        item.entityRef ? <EntityRefLink entityRef={item.entityRef} /> : <em>no entity</em>,
    },
    {
      title: 'Canary',
      render: item => `${item.canary.cluster}:${item.canary.namespace}/${item.canary.name}`,
    },
    {
      title: 'Owner',
      render: item => (item.owner ? <EntityRefLink entityRef={item.owner} /> : '—'),
    },
    { title: 'Phase', render: item => <PhaseStatus canary={item.canary} /> },
    { title: 'Weight', render: item => `${item.canary.weight}%` },
    {
      title: 'Last rollout',
      render: item => {
        const last = item.lastRollout;
        if (!last) return '—';
        return (
          <span>
            <ToneStatus tone={outcomeTone(last.outcome)}>{last.outcome}</ToneStatus>{' '}
            <code>{last.revision.slice(0, 10)}</code> {relativeTime(last.startedAt, now)}
          </span>
        );
      },
    },
  ];

  return (
    <>
      <OverviewFilters
        filter={filter}
        options={filterOptions(all.value?.items ?? [], filter)}
        onChange={(key, value) => setSearch(withFilter(search, key, value), { replace: true })}
      />
      {response && response.unreachable.length > 0 && (
        <WarningPanel
          severity="warning"
          title={`Unreachable controllers: ${response.unreachable.join(', ')}`}
          message="Their canaries are shown from the recorded history only."
        />
      )}
      {error && <ResponseErrorPanel error={error} />}
      {loading && !response && <Progress />}
      {response && (
        <Table<OverviewItem>
          title={`Canaries (${response.items.length})`}
          options={{ paging: response.items.length > 20, pageSize: 20, search: false }}
          columns={columns}
          data={response.items.map(item => ({ ...item, id: canaryKey(item.canary) }))}
          emptyContent={
            <div style={{ padding: 16, textAlign: 'center' }}>
              {filtered ? 'No canary matches these filters.' : 'No canaries yet.'}
            </div>
          }
        />
      )}
    </>
  );
}
