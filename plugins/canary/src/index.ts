// The canary plugin for the legacy frontend system; `./alpha` holds the new frontend system's plugin.
export { canaryPlugin, EntityCanaryCard, EntityCanaryContent, CanaryOverviewPage } from './plugin';
export { isCanaryAvailable } from './isCanaryAvailable';
export { canaryApiRef } from './api/CanaryApi';
export type {
  CanaryApi,
  OverviewFilter,
  StreamHandlers,
  StreamState,
  StreamSubscription,
} from './api/CanaryApi';
export { CanaryClient } from './api/CanaryClient';
export type { CanaryClientOptions } from './api/CanaryClient';
export { ClockProvider } from './components/status/clock';
export type { Clock } from './components/status/clock';
export { FixedChartWidth } from './components/charts/ChartFrame';
export { rootRouteRef as canaryRootRouteRef } from './routes';
