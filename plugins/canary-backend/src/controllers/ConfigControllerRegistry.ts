// The controllers named in `canary.controllers`, each behind its own HTTP client.
import type { ControllerConfig } from '../config/types';
import { ControllerError, type ControllerClient, type ControllerRegistry } from './types';
import { HttpControllerClient, type HttpControllerClientOptions } from './HttpControllerClient';

export class ConfigControllerRegistry implements ControllerRegistry {
  private readonly clients = new Map<string, ControllerClient>();
  private readonly order: string[];

  constructor(
    controllers: ControllerConfig[],
    options: HttpControllerClientOptions & {
      /** Builds the client of one controller (tests may wrap the HTTP one). */
      clientFactory?: (config: ControllerConfig) => ControllerClient;
    } = {},
  ) {
    const { clientFactory, ...clientOptions } = options;
    const make = clientFactory ?? (config => new HttpControllerClient(config, clientOptions));
    for (const config of controllers) {
      if (this.clients.has(config.name)) {
        throw new Error(`canary.controllers: the name "${config.name}" is used twice`);
      }
      this.clients.set(config.name, make(config));
    }
    this.order = controllers.map(c => c.name);
  }

  clusters(): string[] {
    return [...this.order];
  }

  get(cluster: string): ControllerClient {
    const client = this.clients.get(cluster);
    if (!client) {
      throw new ControllerError(cluster, 404, `no controller named "${cluster}" is configured`);
    }
    return client;
  }

  defaultCluster(): string {
    const first = this.order[0];
    if (first === undefined) {
      throw new ControllerError('', 404, 'no controller is configured under canary.controllers');
    }
    return first;
  }
}
