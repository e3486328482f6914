import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { canaryActionPermission } from '@aviary/backstage-plugin-canary-common';
import type { CanaryAction, CanaryDetail } from '@aviary/backstage-plugin-canary-common';
import { canaryApiRef } from '../../api/CanaryApi';
import { allowedActions } from '../status/phase';
import { ActionDialog } from './ActionDialog';
import { ACTION_PERMISSION_HINT, ACTION_TEXT } from './actionText';

/**
 * The manual actions that make sense for the canary's phase. The request only records the wish; the
 * new state arrives through the stream once the controller acknowledges it.
 */
export function ActionButtons(props: { canary: CanaryDetail; entityRef: string }) {
  const { canary, entityRef } = props;
  const api = useApi(canaryApiRef);
  const alertApi = useApi(alertApiRef);
  const permission = usePermission({
    permission: canaryActionPermission,
    resourceRef: entityRef,
  });
  const [open, setOpen] = useState<CanaryAction | undefined>(undefined);
  const actions = allowedActions(canary);
  if (actions.length === 0) return null;
  const denied = !permission.loading && !permission.allowed;
  const disabled = permission.loading || denied;
  const hintId = `canary-action-hint-${canary.namespace}-${canary.name}`;

  const confirm = async (action: CanaryAction, reason: string) => {
    const ref = { cluster: canary.cluster, namespace: canary.namespace, name: canary.name };
    const response = await api.requestAction(ref, { action, reason, revision: canary.revision });
    setOpen(undefined);
    alertApi.post({
      message: `${ACTION_TEXT[action].label} requested for ${canary.namespace}/${canary.name} (request ${response.requestId}); the controller applies it at its next check.`,
      severity: 'success',
      display: 'transient',
    });
  };

  return (
    <Box data-testid="canary-actions" display="flex" alignItems="center" flexWrap="wrap">
      {actions.map(action => (
        <Tooltip key={action} title={denied ? ACTION_PERMISSION_HINT : ''}>
          {/* A disabled button fires no events; the span keeps the tooltip working. */}
          <span style={{ marginRight: 8 }}>
            <Button
              variant="outlined"
              color={action === 'abort' ? 'secondary' : 'primary'}
              size="small"
              disabled={disabled}
              aria-describedby={denied ? hintId : undefined}
              onClick={() => setOpen(action)}
            >
              {ACTION_TEXT[action].label}
            </Button>
          </span>
        </Tooltip>
      ))}
      {denied && (
        <Typography id={hintId} variant="caption" color="textSecondary">
          {ACTION_PERMISSION_HINT}
        </Typography>
      )}
      {open && (
        <ActionDialog
          canary={canary}
          action={open}
          onCancel={() => setOpen(undefined)}
          onConfirm={reason => confirm(open, reason)}
        />
      )}
    </Box>
  );
}
