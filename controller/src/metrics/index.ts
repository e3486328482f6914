export * from './errors.js';
export type * from './provider.js';
export * from './prometheus.js';
export * from './providers.js';
export * from './template.js';
export * from './builtin/istio.js';
export * from './builtin/batch.js';
export * from './metric-query.js';
