import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import type { CanaryAction, CanaryDetail } from '@aviary/backstage-plugin-canary-common';
import { errorMessage } from '../../api/errors';
import { ACTION_TEXT } from './actionText';

/** Asks for the reason (it goes into the audit trail) and shows the revision the action is for. */
export function ActionDialog(props: {
  canary: CanaryDetail;
  action: CanaryAction;
  onCancel(): void;
  onConfirm(reason: string): Promise<void>;
}) {
  const { canary, action } = props;
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const text = ACTION_TEXT[action];
  const ready = reason.trim() !== '' && !busy;

  const submit = async () => {
    if (!ready) return;
    setBusy(true);
    setError(undefined);
    try {
      await props.onConfirm(reason.trim());
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  return (
    <Dialog open onClose={props.onCancel} aria-labelledby="canary-action-title" fullWidth>
      <DialogTitle id="canary-action-title">
        {text.label} {canary.namespace}/{canary.name}?
      </DialogTitle>
      <DialogContent>
        <DialogContentText>
          {text.label} {text.effect}.
        </DialogContentText>
        <DialogContentText data-testid="action-revision">
          Revision: <code>{canary.revision ?? 'unknown'}</code>
          {canary.images.canary[0] ? ` (${canary.images.canary[0]})` : ''}
        </DialogContentText>
        <TextField
          autoFocus
          required
          fullWidth
          multiline
          label="Reason"
          helperText="Required: recorded with the action and shown in the rollout history"
          value={reason}
          onChange={event => setReason(event.target.value)}
          inputProps={{ 'aria-label': 'Reason' }}
        />
        {error && (
          <Alert severity="error" style={{ marginTop: 16 }}>
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onCancel} disabled={busy}>
          Cancel
        </Button>
        <Button color="primary" variant="contained" onClick={submit} disabled={!ready}>
          {text.label}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
