// The controller runtime: work queue, tick runner, executor, and their wiring to the cluster.
export { Controller, type ControllerConfig } from './controller.js';
export { WorkQueue, type WorkHandler, type WorkOutcome, type WorkQueueOptions } from './queue.js';
export { TickRunner, VALID_CONDITION, type TickDeps } from './tick-runner.js';
export { BuiltinMetricBatcher, type BatcherOptions } from './batcher.js';
export { SelfMetrics, type CanaryLabels } from './self-metrics.js';
export { createJsonLogger, quietLogger, type ControllerLogger, type LogLevel } from './log.js';
export { systemClock, type Clock } from './clock.js';
