// Shared by the Aviary canary frontend and backend plugins: annotations, permissions and API shapes.
export * from './annotations';
export * from './permissions';
export * from './api';
export * from './sse';
