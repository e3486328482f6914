// Scenario steps shared by the e2e tests: release a version, wait for a phase, read what the
// controller made of the cluster. Every wait polls the emulator's stored state.
import type { Canary, CanaryPhase } from '../../src/api/types.js';
import {
  CANARIES,
  DEPLOYMENTS,
  VIRTUAL_SERVICES,
  type ResourceType,
} from '../../src/kube/index.js';
import type { VirtualService } from '../../src/router/istio/types.js';
import type { Deployment } from '../../src/workload/types.js';
import { waitFor, type ControllerProcess, type Environment } from './harness.js';
import { canaryEvents, image } from './manifests.js';

export const STEP_TIMEOUT_MS = 90_000;

export class Scenario {
  constructor(
    readonly env: Environment,
    readonly namespace: string,
    readonly name: string,
    /** Controllers whose logs help when a wait times out. */
    readonly controllers: () => ControllerProcess[],
  ) {}

  get canary(): Canary | undefined {
    return this.env.kube.peek<Canary>(CANARIES, this.namespace, this.name);
  }

  get phase(): CanaryPhase | undefined {
    return this.canary?.status?.phase;
  }

  deployment(name = this.name): Deployment | undefined {
    return this.env.kube.peek<Deployment>(DEPLOYMENTS, this.namespace, name);
  }

  imageOf(name: string): string | undefined {
    return this.deployment(name)?.spec?.template?.spec?.containers[0]?.image as string | undefined;
  }

  get virtualService(): VirtualService | undefined {
    return this.env.kube.peek<VirtualService>(VIRTUAL_SERVICES, this.namespace, this.name);
  }

  peek<T>(type: ResourceType, name: string): T | undefined {
    return this.env.kube.peek(type, this.namespace, name) as T | undefined;
  }

  /** A new revision: the target's image (and, optionally, pods that never get ready). */
  async release(version: string, options: { neverReady?: boolean } = {}): Promise<void> {
    await this.env.kube.update<Deployment>(DEPLOYMENTS, this.namespace, this.name, dep => {
      const template = dep.spec?.template;
      const container = template?.spec?.containers[0];
      if (!template || !container) throw new Error('deployment without a container');
      container.image = image(version);
      const annotations = { ...(template.metadata?.annotations ?? {}) };
      if (options.neverReady) annotations['playground.aviary.dev/never-ready'] = 'true';
      else delete annotations['playground.aviary.dev/never-ready'];
      template.metadata = { ...(template.metadata ?? {}), annotations };
    });
  }

  waitUntil<T>(
    what: string,
    probe: () => T | undefined | false | Promise<T | undefined | false>,
    timeoutMs = STEP_TIMEOUT_MS,
  ): Promise<T> {
    return waitFor(`${this.namespace}/${this.name}: ${what}`, probe, timeoutMs, () =>
      this.diagnostics(),
    );
  }

  waitForPhase(phase: CanaryPhase, timeoutMs = STEP_TIMEOUT_MS): Promise<Canary> {
    return this.waitUntil(
      `phase ${phase}`,
      () => {
        const canary = this.canary;
        return canary?.status?.phase === phase ? canary : undefined;
      },
      timeoutMs,
    );
  }

  async events(): Promise<string[]> {
    return (await canaryEvents(this.env, this.namespace, this.name)).map(e => e.message);
  }

  async waitForEvent(pattern: RegExp, timeoutMs = STEP_TIMEOUT_MS): Promise<string> {
    return this.waitUntil(
      `an event matching ${pattern}`,
      async () => (await this.events()).find(message => pattern.test(message)),
      timeoutMs,
    );
  }

  diagnostics(): string {
    const status = JSON.stringify(this.canary?.status ?? {}, null, 1);
    const logs = this.controllers()
      .map(c => {
        const mine = c.rawStderr.filter(l => l.includes(`${this.name}.${this.namespace}`));
        const errors = c.rawStderr.filter(l => l.includes('"level":"error"'));
        return `--- ${c.name} (canary lines)\n${mine.slice(-25).join('\n')}\n--- ${c.name} (errors)\n${errors.slice(-10).join('\n')}`;
      })
      .join('\n');
    return `status: ${status}\n${logs}`;
  }
}
