export { startKubeEmulator } from './kube/emulator.js';
export type { EmulatorOptions, KubeEmulator } from './kube/emulator.js';
export { NEVER_READY_ANNOTATION, ROLLOUT_DELAY_ANNOTATION } from './kube/workloads.js';
export type { KubeObject } from './kube/types.js';
export { ISTIO_CRDS } from './kube/istio-crds.js';
