// API group, version and resource names of Aviary's custom resources.
export const GROUP = 'aviary.dev';
export const VERSION = 'v1beta1';
export const API_VERSION = `${GROUP}/${VERSION}`;

export const CANARY_KIND = 'Canary';
export const CANARY_PLURAL = 'canaries';
export const CANARY_SINGULAR = 'canary';

export const METRIC_TEMPLATE_KIND = 'MetricTemplate';
export const METRIC_TEMPLATE_PLURAL = 'metrictemplates';
export const METRIC_TEMPLATE_SINGULAR = 'metrictemplate';

export const ALERT_PROVIDER_KIND = 'AlertProvider';
export const ALERT_PROVIDER_PLURAL = 'alertproviders';
export const ALERT_PROVIDER_SINGULAR = 'alertprovider';
