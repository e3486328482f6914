// A canary API for the dev app: the fixtures, plus a canary whose weight climbs through the stream so
// the live parts of the Canary tab move without a backend.
import type { CanarySummary } from '@aviary/backstage-plugin-canary-common';
import type { DateTime } from 'luxon';
import { FakeCanaryApi } from '../src/testing/FakeCanaryApi';
import {
  failedCanary,
  overviewItems,
  progressingCanary,
  rolloutWithChecks,
  rollouts,
} from '../src/testing/fixtures';

export function simulatedCanaryApi(now: () => DateTime, stepMs = 4000): FakeCanaryApi {
  const cart = { cluster: 'prod', namespace: 'shop', name: 'cart' };
  let detail = progressingCanary({ weight: 10 });
  const api: FakeCanaryApi = new FakeCanaryApi({
    entityCanaries: async () => ({
      entityRef: 'component:default/podinfo',
      canaries: [
        { ref: detail, state: detail },
        { ref: cart, state: failedCanary({ ...cart, target: 'cart' }) },
        {
          ref: { cluster: 'eu', namespace: 'shop', name: 'search' },
          error: { status: 503, message: 'controller eu is unreachable' },
        },
      ],
    }),
    canary: async () => detail,
    rollouts: { items: rollouts },
    rollout: async (id: string) => rolloutWithChecks(id),
    overview: { items: overviewItems, unreachable: ['eu'] },
  });
  setInterval(() => {
    const weight = detail.weight >= 50 ? 10 : detail.weight + 10;
    const at = now().toISO() ?? '';
    detail = {
      ...detail,
      weight,
      lastTransitionTime: at,
      changes: [...detail.changes, { type: 'weight', phase: detail.phase, weight, at }].slice(-20),
    };
    const {
      checks: _c,
      events: _e,
      changes: _ch,
      spec: _s,
      images: _i,
      status: _st,
      ...rest
    } = detail;
    const summary: CanarySummary = rest;
    api.emit({ type: 'canary', canary: summary });
  }, stepMs);
  return api;
}
