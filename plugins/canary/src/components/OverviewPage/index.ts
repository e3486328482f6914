export { CanaryOverviewPage } from './CanaryOverviewPage';
export { CanaryOverviewContent } from './CanaryOverviewContent';
