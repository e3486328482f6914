// What every scenario gets: the environment, and one way to put a canary with its target in
// place (Deployment at 6.0.0, healthy Istio traffic for both workloads, then the Canary).
import type { Canary } from '../../src/api/types.js';
import { CANARIES, DEPLOYMENTS } from '../../src/kube/index.js';
import type { ControllerProcess, Environment } from './harness.js';
import { deployment, type DeploymentOptions } from './manifests.js';
import { Scenario } from './steps.js';

export interface ScenarioContext {
  env: Environment;
  apply(s: Scenario, canary: Canary, options?: DeploymentOptions): Promise<void>;
  scenario(namespace: string, name: string): Scenario;
}

export function scenarioContext(
  env: Environment,
  controllers: () => ControllerProcess[],
): ScenarioContext {
  return {
    env,
    scenario: (namespace, name) => new Scenario(env, namespace, name, controllers),
    async apply(s, canary, options = {}) {
      for (const workload of [s.name, `${s.name}-primary`]) {
        env.exporter.setTraffic({
          namespace: s.namespace,
          workload,
          rps: 20,
          errorRatio: 0,
          latencyMs: 20,
        });
      }
      await env.kube.create(DEPLOYMENTS, deployment(s.namespace, s.name, options));
      await env.kube.create(CANARIES, canary);
    },
  };
}
