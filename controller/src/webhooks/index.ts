export * from './payload.js';
export * from './caller.js';
export * from './gates.js';
export * from './http-request.js';
