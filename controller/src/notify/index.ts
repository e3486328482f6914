export type * from './types.js';
export * from './payloads.js';
export * from './notifier.js';
export * from './dispatch.js';
