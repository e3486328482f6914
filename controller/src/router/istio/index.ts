export * from './types.js';
export * from './destination-rules.js';
export * from './http-routes.js';
export * from './session-affinity.js';
export * from './routes.js';
export * from './virtual-service.js';
export * from './finalize.js';
export * from './router.js';
