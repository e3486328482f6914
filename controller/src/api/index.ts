// Public surface of the controller's API package: types, validation and defaults.
export * from './types.js';
export * from './resolve.js';
export * from './resolve-resources.js';
export {
  validateAlertProvider,
  validateCanary,
  validateMetricTemplate,
  type ValidateOptions,
} from './validate.js';
export { summarizeProblems, type ValidationProblem } from './problems.js';
export { isPromQLDuration, parseGoDuration } from './duration.js';
