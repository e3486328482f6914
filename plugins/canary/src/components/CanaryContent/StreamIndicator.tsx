import Chip from '@material-ui/core/Chip';
import type { StreamState } from '../../api/CanaryApi';

const TEXT: Record<StreamState, string> = {
  connecting: 'Connecting…',
  open: 'Live',
  retrying: 'Reconnecting…',
  failed: 'Live updates unavailable',
};

/** Whether what is shown follows the controller live. */
export function StreamIndicator(props: { state: StreamState | undefined }) {
  if (!props.state) return null;
  return (
    <Chip
      size="small"
      data-testid="stream-state"
      color={props.state === 'open' ? 'primary' : 'default'}
      label={TEXT[props.state]}
    />
  );
}
