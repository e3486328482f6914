import type { ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import type { CanaryDetail } from '@aviary/backstage-plugin-canary-common';
import { useClock } from './clock';
import { failedChecksOf } from './metrics';
import { canaryProgress, describeProgress } from './phase';
import { PhaseStatus } from './PhaseStatus';
import { relativeTime } from './time';
import { verdictSentence } from './verdict';

function Field(props: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Box mb={1} data-testid={props.testId}>
      <Typography variant="caption" color="textSecondary" component="div">
        {props.label}
      </Typography>
      <Typography variant="body2" component="div">
        {props.children}
      </Typography>
    </Box>
  );
}

function Images(props: { images: string[] }) {
  if (props.images.length === 0) return <>—</>;
  return (
    <>
      {props.images.map(image => (
        <div key={image}>
          <code style={{ wordBreak: 'break-all' }}>{image}</code>
        </div>
      ))}
    </>
  );
}

/** A canary's state at a glance: phase, verdict, progress, checks, images and last transition. */
export function CanaryStatePanel(props: { canary: CanaryDetail; hideName?: boolean }) {
  const { canary } = props;
  const now = useClock()();
  const progress = canaryProgress(canary);
  const threshold = canary.spec.analysis?.threshold;
  const transition = relativeTime(canary.lastTransitionTime, now);
  return (
    <div data-testid={`canary-state-${canary.namespace}-${canary.name}`}>
      <Box display="flex" alignItems="center" flexWrap="wrap" mb={1}>
        {!props.hideName && (
          <Box mr={1}>
            <Typography variant="h6" component="span">
              {canary.namespace}/{canary.name}
            </Typography>
          </Box>
        )}
        <Box mr={1}>
          <Chip size="small" label={canary.cluster} variant="outlined" />
        </Box>
        <PhaseStatus canary={canary} />
      </Box>
      <Typography variant="body1" data-testid="canary-verdict" gutterBottom>
        {verdictSentence(canary)}
      </Typography>
      <Box mb={2} data-testid="canary-progress" data-kind={progress.kind}>
        <Typography variant="caption" color="textSecondary">
          {describeProgress(progress)}
        </Typography>
        <LinearProgress
          variant="determinate"
          value={progress.percent}
          aria-label={describeProgress(progress)}
        />
      </Box>
      <Grid container spacing={2}>
        <Grid item xs={12} sm={6}>
          <Field label="Failed checks" testId="canary-failed-checks">
            {threshold !== undefined
              ? `${failedChecksOf(canary)} / ${threshold}`
              : String(failedChecksOf(canary))}
          </Field>
          <Field label="Last transition">{transition ?? 'never'}</Field>
        </Grid>
        <Grid item xs={12} sm={6}>
          <Field label="Primary" testId="canary-primary-images">
            <Images images={canary.images.primary} />
          </Field>
          <Field label="Canary" testId="canary-canary-images">
            <Images images={canary.images.canary} />
          </Field>
        </Grid>
      </Grid>
    </div>
  );
}
