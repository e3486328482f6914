export { CanaryAlerter, type CanaryAlerterOptions } from './alerter';
export { AlertDelivery, type AlertDeliveryOptions } from './delivery';
export { alertOutcomeOf, AlertDedup, type AlertOutcome } from './decide';
export { describeAlert, rolloutScope, type AlertMessage } from './message';
export { channelPayload } from './channels';
