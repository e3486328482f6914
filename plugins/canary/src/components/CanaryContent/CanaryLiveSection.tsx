import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { InfoCard } from '@backstage/core-components';
import { DateTime } from 'luxon';
import type { CanaryDetail } from '@aviary/backstage-plugin-canary-common';
import { ActionButtons } from '../ActionButtons/ActionButtons';
import { CheckCharts } from '../charts/CheckCharts';
import { weightSeries } from '../charts/chartData';
import { WeightChart } from '../charts/WeightChart';
import { HistoryTable } from '../HistoryTable/HistoryTable';
import { CanaryStatePanel } from '../status/CanaryStatePanel';
import { useClock } from '../status/clock';
import { EventTimeline } from './EventTimeline';

/** Everything about one canary on the Canary tab. */
export function CanaryLiveSection(props: {
  canary: CanaryDetail;
  entityRef: string;
  historyVersion?: number;
}) {
  const { canary } = props;
  const now = useClock()();
  const current = {
    weight: canary.weight,
    at: canary.lastTransitionTime
      ? DateTime.fromISO(canary.lastTransitionTime).toMillis()
      : now.toMillis(),
  };
  const iterations = canary.spec.analysis?.iterations !== undefined;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={5}>
        <InfoCard title={`${canary.namespace}/${canary.name}`}>
          <CanaryStatePanel canary={canary} hideName />
          <ActionButtons canary={canary} entityRef={props.entityRef} />
        </InfoCard>
        <Box mt={3}>
          <InfoCard title="Events">
            <EventTimeline events={canary.events} />
          </InfoCard>
        </Box>
      </Grid>
      <Grid item xs={12} md={7}>
        <InfoCard title="Running analysis">
          <CheckCharts checks={canary.checks} emptyText="No checks in the running analysis yet." />
          {!iterations && (
            <WeightChart
              points={weightSeries(canary.changes, current)}
              maxWeight={canary.spec.analysis?.maxWeight}
            />
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <HistoryTable canaryRef={canary} version={props.historyVersion} />
      </Grid>
      {canary.message && (
        <Grid item xs={12}>
          <Typography variant="caption" color="textSecondary">
            Controller: {canary.message}
          </Typography>
        </Grid>
      )}
    </Grid>
  );
}
