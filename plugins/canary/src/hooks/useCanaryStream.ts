import { useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import type { CanaryStreamMessage } from '@aviary/backstage-plugin-canary-common';
import { canaryApiRef } from '../api/CanaryApi';
import type { StreamState } from '../api/CanaryApi';

/** Listens to the canary stream while mounted; returns its state for a "live" hint. */
export function useCanaryStream(
  onMessage: (message: CanaryStreamMessage) => void,
  enabled = true,
): StreamState | undefined {
  const api = useApi(canaryApiRef);
  const [state, setState] = useState<StreamState | undefined>(undefined);
  // The latest callback, without resubscribing on every render.
  const handler = useRef(onMessage);
  handler.current = onMessage;

  useEffect(() => {
    if (!enabled) return undefined;
    let active = true;
    const subscription = api.subscribe({
      onMessage: message => {
        if (active) handler.current(message);
      },
      onState: next => {
        if (active) setState(next);
      },
    });
    return () => {
      active = false;
      subscription.close();
    };
  }, [api, enabled]);

  return enabled ? state : undefined;
}
