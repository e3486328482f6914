// Service ports: the main port from spec.service plus, with portDiscovery, every other container
// port of the target's pod template (spec 1.3, U13/U14).
import type { CanaryService } from '../../api/types.js';

export interface ServicePort {
  name?: string;
  protocol?: string;
  port: number;
  targetPort?: number | string;
  nodePort?: number;
  appProtocol?: string;
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}

export interface Container {
  name: string;
  ports?: ContainerPort[];
}

/** A port exposed in addition to the main one (name → port, targetPort = port). */
export interface ExtraPort {
  name: string;
  port: number;
}

const SIDECARS = new Set(['istio-proxy', 'envoy']);

/** True when the container port is the one the main service port already targets. */
function isMainPort(service: CanaryService, port: ContainerPort): boolean {
  const target = service.targetPort;
  if (target === undefined || target === 0 || target === '' || target === '0') {
    return port.containerPort === service.port;
  }
  if (typeof target === 'number') return port.containerPort === target;
  return port.name === target;
}

/**
 * Ports to add with portDiscovery: all container ports except sidecars' and the main one.
 * Unnamed ports are called `tcp-<container>-<index>`; a repeated name keeps the last port.
 */
export function discoverPorts(
  service: CanaryService,
  containers: readonly Container[],
): ExtraPort[] {
  const byName = new Map<string, number>();
  for (const container of containers) {
    if (SIDECARS.has(container.name)) continue;
    (container.ports ?? []).forEach((port, index) => {
      if (isMainPort(service, port)) return;
      const name = port.name || `tcp-${container.name}-${index}`;
      byName.set(name, port.containerPort);
    });
  }
  return [...byName].map(([name, port]) => ({ name, port }));
}

/** The ports every generated Service carries: main port first, then the discovered ones. */
export function desiredPorts(service: CanaryService, extra: readonly ExtraPort[]): ServicePort[] {
  const target = service.targetPort;
  const main: ServicePort = {
    name: service.portName || 'http',
    protocol: 'TCP',
    port: service.port,
    targetPort: target === undefined || target === 0 || target === '' ? service.port : target,
  };
  if (service.appProtocol) main.appProtocol = service.appProtocol;
  const others = extra.map(p => ({
    name: p.name,
    protocol: 'TCP',
    port: p.port,
    targetPort: p.port,
  }));
  return [main, ...others];
}

/** Node ports are allocated by the API server; keep them so an update does not reassign them. */
export function keepNodePorts(
  desired: readonly ServicePort[],
  live: readonly ServicePort[],
): ServicePort[] {
  return desired.map(port => {
    const match = live.find(l => l.name === port.name && (l.nodePort ?? 0) > 0);
    return match ? { ...port, nodePort: match.nodePort } : { ...port };
  });
}

function normalise(port: ServicePort) {
  return {
    name: port.name ?? '',
    protocol: port.protocol ?? 'TCP',
    port: port.port,
    targetPort: String(port.targetPort ?? port.port),
    nodePort: port.nodePort ?? 0,
    appProtocol: port.appProtocol ?? '',
  };
}

/** Order-insensitive comparison with the API server's defaults (protocol, targetPort) applied. */
export function portsEqual(a: readonly ServicePort[], b: readonly ServicePort[]): boolean {
  if (a.length !== b.length) return false;
  const key = (p: ServicePort) => JSON.stringify(normalise(p));
  const left = a.map(key).sort();
  const right = b.map(key).sort();
  return left.every((k, i) => k === right[i]);
}
