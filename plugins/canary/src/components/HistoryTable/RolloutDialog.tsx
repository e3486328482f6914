import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import type { Rollout } from '@aviary/backstage-plugin-canary-common';
import { canaryApiRef } from '../../api/CanaryApi';
import { CheckCharts } from '../charts/CheckCharts';
import { describeRange, formatValue, metricLabel } from '../status/metrics';
import { ToneStatus } from '../status/ToneStatus';

const VERDICT_TONE = { pass: 'ok', fail: 'error', skip: 'pending' } as const;

/** Every check of one past rollout, charted and listed, with its events. */
export function RolloutDialog(props: { rollout: Rollout; onClose(): void }) {
  const api = useApi(canaryApiRef);
  const { loading, error, value } = useAsync(
    () => api.getRollout(props.rollout.id),
    [api, props.rollout.id],
  );
  return (
    <Dialog open onClose={props.onClose} maxWidth="lg" fullWidth aria-labelledby="rollout-title">
      <DialogTitle id="rollout-title">
        Rollout of revision {props.rollout.revision} ({props.rollout.outcome})
      </DialogTitle>
      <DialogContent>
        {loading && <Progress />}
        {error && <ResponseErrorPanel error={error} />}
        {value && (
          <>
            <CheckCharts checks={value.checks} emptyText="This rollout recorded no checks." />
            {value.checks.length > 0 && (
              <Box mt={2}>
                <Table size="small" aria-label="checks">
                  <TableHead>
                    <TableRow>
                      <TableCell>Time</TableCell>
                      <TableCell>Metric</TableCell>
                      <TableCell>Value</TableCell>
                      <TableCell>Threshold</TableCell>
                      <TableCell>Verdict</TableCell>
                    </TableRow>
                  </TableHead>
                  <TableBody>
                    {value.checks.map((check, index) => (
                      <TableRow key={`${check.time}-${check.metric}-${index}`}>
                        <TableCell>{check.time}</TableCell>
                        <TableCell>{metricLabel(check.metric).label}</TableCell>
                        <TableCell>
                          {check.value === null
                            ? check.outcome === 'error'
                              ? 'query failed'
                              : 'no data'
                            : formatValue(check.metric, check.value)}
                        </TableCell>
                        <TableCell>{describeRange(check.metric, check.thresholdRange)}</TableCell>
                        <TableCell>
                          <ToneStatus tone={VERDICT_TONE[check.verdict]}>
                            {check.verdict}
                          </ToneStatus>
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </Box>
            )}
            {value.events.length > 0 && (
              <Box mt={2}>
                <Typography variant="subtitle2">Events</Typography>
                {value.events.map((event, index) => (
                  <Typography variant="body2" key={`${event.time}-${index}`}>
                    {event.time} {event.type} {event.reason}: {event.message}
                  </Typography>
                ))}
              </Box>
            )}
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
