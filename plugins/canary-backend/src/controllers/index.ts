export { HttpControllerClient, type HttpControllerClientOptions } from './HttpControllerClient';
export { ConfigControllerRegistry } from './ConfigControllerRegistry';
export { SseParser, type SseEvent } from './sse';
export { ControllerError } from './types';
export type {
  ControllerClient,
  ControllerRegistry,
  ControllerStreamMessage,
  StreamHandle,
} from './types';
