import { useEffect, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { ResponseErrorPanel, Table } from '@backstage/core-components';
import type { TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { CanaryRef, Rollout } from '@aviary/backstage-plugin-canary-common';
import { canaryApiRef } from '../../api/CanaryApi';
import { useClock } from '../status/clock';
import { outcomeTone } from '../status/outcome';
import { formatDuration, relativeTime } from '../status/time';
import { ToneStatus } from '../status/ToneStatus';
import { imageTag } from '../status/verdict';
import { RolloutDialog } from './RolloutDialog';

const PAGE_SIZE = 10;

function imagesText(images: string[]): string {
  return images.map(image => imageTag(image) ?? image).join(', ') || '—';
}

function actorsText(rollout: Rollout): string {
  return rollout.actors
    .map(a => {
      const reason = a.reason ? ` ("${a.reason}")` : '';
      const refused = a.outcome === 'Refused' ? ', refused' : '';
      return `${a.action} by ${a.by}${reason}${refused}`;
    })
    .join('; ');
}

/**
 * The recorded rollouts of one canary, newest first, with older pages on demand. `version` changes
 * when the stream reports a rollout, which reloads the first page.
 */
export function HistoryTable(props: { canaryRef: CanaryRef; version?: number }) {
  const api = useApi(canaryApiRef);
  const now = useClock()();
  const { cluster, namespace, name } = props.canaryRef;
  const [rows, setRows] = useState<Rollout[]>([]);
  const [next, setNext] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [selected, setSelected] = useState<Rollout | undefined>(undefined);

  useEffect(() => {
    let active = true;
    setLoading(true);
    api
      .listRollouts({ cluster, namespace, name }, { limit: PAGE_SIZE })
      .then(page => {
        if (!active) return;
        setRows(page.items);
        setNext(page.next);
        setError(undefined);
      })
      .catch(e => active && setError(e instanceof Error ? e : new Error(String(e))))
      .finally(() => active && setLoading(false));
    return () => {
      active = false;
    };
  }, [api, cluster, namespace, name, props.version]);

  const loadOlder = async () => {
    if (!next) return;
    setLoading(true);
    try {
      const page = await api.listRollouts(
        { cluster, namespace, name },
        { limit: PAGE_SIZE, before: next },
      );
      setRows(prev => [...prev, ...page.items]);
      setNext(page.next);
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setLoading(false);
    }
  };

  const columns: TableColumn<Rollout>[] = [
    {
      title: 'Revision',
      field: 'revision',
      render: r => <code>{r.revision.slice(0, 10)}</code>,
    },
    {
      title: 'Images',
      render: r => (
        <span title={`${r.images.primary.join(', ')} → ${r.images.canary.join(', ')}`}>
          {imagesText(r.images.primary)} → {imagesText(r.images.canary)}
        </span>
      ),
    },
    {
      title: 'Started',
      field: 'startedAt',
      render: r => <span title={r.startedAt}>{relativeTime(r.startedAt, now)}</span>,
    },
    { title: 'Duration', render: r => formatDuration(r.startedAt, r.endedAt, now) },
    {
      title: 'Outcome',
      field: 'outcome',
      render: r => <ToneStatus tone={outcomeTone(r.outcome)}>{r.outcome}</ToneStatus>,
    },
    { title: 'Reason', field: 'reason' },
    { title: 'Who acted', render: r => actorsText(r) || '—' },
    {
      title: 'Checks',
      render: r => (
        <Button size="small" onClick={() => setSelected(r)} aria-label={`Checks of ${r.revision}`}>
          {r.failedChecks}/{r.checkCount} failed
        </Button>
      ),
    },
  ];

  return (
    <>
      {error && <ResponseErrorPanel error={error} />}
      <Table<Rollout>
        title="Rollout history"
        options={{ paging: false, search: false, padding: 'dense' }}
        isLoading={loading}
        columns={columns}
        data={rows}
        emptyContent={
          <Box p={2} textAlign="center">
            No rollouts recorded yet.
          </Box>
        }
      />
      {next && (
        <Box mt={1}>
          <Button onClick={loadOlder} disabled={loading}>
            Load older rollouts
          </Button>
        </Box>
      )}
      {selected && <RolloutDialog rollout={selected} onClose={() => setSelected(undefined)} />}
    </>
  );
}
