import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { canaryKey } from '@aviary/backstage-plugin-canary-common';
import type {
  CanaryDetail,
  CanaryRef,
  CanaryStreamMessage,
  EntityCanary,
} from '@aviary/backstage-plugin-canary-common';
import { canaryApiRef } from '../api/CanaryApi';
import type { StreamState } from '../api/CanaryApi';
import { useClock } from '../components/status/clock';
import { mergeSummary } from './mergeSummary';
import { useCanaryStream } from './useCanaryStream';

export interface LiveCanaries {
  canaries: EntityCanary[];
  /** Bumped for a canary whenever the stream reports one of its rollouts: history reloads on it. */
  rolloutVersions: Record<string, number>;
  streamState: StreamState | undefined;
}

/**
 * Keeps the entity's canaries current from the stream: a message is shown at once, then the full
 * detail (checks, events) is re-read; reads for one canary are coalesced while one is in flight.
 */
export function useLiveCanaries(initial: EntityCanary[]): LiveCanaries {
  const api = useApi(canaryApiRef);
  const clock = useClock();
  const [live, setLive] = useState<Record<string, CanaryDetail | { deleted: true }>>({});
  const [rolloutVersions, setRolloutVersions] = useState<Record<string, number>>({});
  const reads = useRef(new Map<string, 'busy' | 'again'>());
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const byKey = useMemo(() => {
    const map = new Map<string, EntityCanary>();
    for (const canary of initial) map.set(canaryKey(canary.ref), canary);
    return map;
  }, [initial]);

  const reread = useCallback(
    async (ref: CanaryRef) => {
      const key = canaryKey(ref);
      if (reads.current.has(key)) {
        reads.current.set(key, 'again');
        return;
      }
      reads.current.set(key, 'busy');
      try {
        do {
          reads.current.set(key, 'busy');
          try {
            const detail = await api.getCanary(ref);
            if (mounted.current) setLive(prev => ({ ...prev, [key]: detail }));
          } catch {
            // Keep what the stream showed; the next message tries again.
          }
        } while (reads.current.get(key) === 'again');
      } finally {
        reads.current.delete(key);
      }
    },
    [api],
  );

  const onMessage = useCallback(
    (message: CanaryStreamMessage) => {
      if (message.type === 'rollout') {
        const key = canaryKey(message.rollout);
        if (!byKey.has(key)) return;
        setRolloutVersions(prev => ({ ...prev, [key]: (prev[key] ?? 0) + 1 }));
        return;
      }
      const key = canaryKey(message.canary);
      const original = byKey.get(key);
      if (!original) return;
      if (message.deleted) {
        setLive(prev => ({ ...prev, [key]: { deleted: true } }));
        return;
      }
      setLive(prev => {
        const current = prev[key];
        const base =
          current && !('deleted' in current)
            ? current
            : 'state' in original
              ? original.state
              : undefined;
        // Without a detail to merge into (it was unreadable), wait for the full read.
        if (!base) return prev;
        return { ...prev, [key]: mergeSummary(base, message.canary, clock().toISO() ?? '') };
      });
      void reread(original.ref);
    },
    [byKey, clock, reread],
  );

  const streamState = useCanaryStream(onMessage);

  // The backend does not replay what happened while the stream was down: re-read after a reconnect.
  const dropped = useRef(false);
  useEffect(() => {
    if (streamState === 'retrying') dropped.current = true;
    if (streamState !== 'open' || !dropped.current) return;
    dropped.current = false;
    for (const canary of initial) void reread(canary.ref);
    setRolloutVersions(prev => {
      const next = { ...prev };
      for (const canary of initial) {
        const key = canaryKey(canary.ref);
        next[key] = (next[key] ?? 0) + 1;
      }
      return next;
    });
  }, [streamState, initial, reread]);

  const canaries = useMemo(
    () =>
      initial.map((canary): EntityCanary => {
        const current = live[canaryKey(canary.ref)];
        if (!current) return canary;
        if ('deleted' in current) {
          return { ref: canary.ref, error: { status: 404, message: 'The canary was deleted' } };
        }
        return { ref: canary.ref, state: current };
      }),
    [initial, live],
  );

  return { canaries, rolloutVersions, streamState };
}
