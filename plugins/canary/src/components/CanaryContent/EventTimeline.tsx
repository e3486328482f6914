import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import WarningIcon from '@material-ui/icons/Warning';
import InfoIcon from '@material-ui/icons/Info';
import type { CanaryEvent } from '@aviary/backstage-plugin-canary-common';
import { useClock } from '../status/clock';
import { relativeTime } from '../status/time';

/** The canary's Kubernetes Events, newest first, warnings marked. */
export function EventTimeline(props: { events: CanaryEvent[] }) {
  const now = useClock()();
  if (props.events.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No events.
      </Typography>
    );
  }
  return (
    <List dense aria-label="events">
      {props.events.map((event, index) => {
        const at = event.lastTimestamp ?? event.firstTimestamp;
        const when = relativeTime(at, now);
        return (
          <ListItem key={`${at}-${index}`} data-testid="canary-event" data-type={event.type}>
            <ListItemIcon>
              {event.type === 'Warning' ? (
                <WarningIcon color="error" fontSize="small" />
              ) : (
                <InfoIcon color="primary" fontSize="small" />
              )}
            </ListItemIcon>
            <ListItemText
              primary={event.message}
              secondary={[event.reason, when, event.count > 1 ? `×${event.count}` : undefined]
                .filter(Boolean)
                .join(' · ')}
            />
          </ListItem>
        );
      })}
    </List>
  );
}
