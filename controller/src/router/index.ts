export * from './kube.js';
export * from './canary.js';
export * from './metadata.js';
export * from './equality.js';
export type * from './interface.js';
export * from './kubernetes/ports.js';
export * from './kubernetes/services.js';
export * as istio from './istio/index.js';
