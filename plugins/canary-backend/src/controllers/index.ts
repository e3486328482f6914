export { HttpControllerClient, type HttpControllerClientOptions } from './HttpControllerClient';
export { ConfigControllerRegistry } from './ConfigControllerRegistry';
export { ControllerError } from './types';
export type {
  ControllerClient,
  ControllerRegistry,
  ControllerStreamMessage,
  StreamHandle,
} from './types';
