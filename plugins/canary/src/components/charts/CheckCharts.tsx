import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import type { CheckResult } from '@aviary/backstage-plugin-canary-common';
import { checkSeries } from './chartData';
import { CheckChart } from './CheckChart';

/** A chart per metric of the given checks; a short note when there are none yet. */
export function CheckCharts(props: { checks: CheckResult[]; emptyText?: string }) {
  const series = checkSeries(props.checks);
  if (series.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        {props.emptyText ?? 'No checks yet.'}
      </Typography>
    );
  }
  return (
    <Grid container spacing={2}>
      {series.map(s => (
        <Grid item xs={12} md={6} key={s.metric}>
          <CheckChart series={s} />
        </Grid>
      ))}
    </Grid>
  );
}
