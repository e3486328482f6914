// Public surface of @aviary/controller: the API types and validation, and the runtime for
// embedding the controller (the `aviary-controller` binary is dist/cli/controller.js).
export * from './api/index.js';
export { Controller, type ControllerConfig } from './controller/controller.js';
export { createJsonLogger, type ControllerLogger, type LogLevel } from './controller/log.js';
export { SelfMetrics } from './controller/self-metrics.js';
export { startProbeServer, type ProbeServer, type Readiness } from './http/server.js';
