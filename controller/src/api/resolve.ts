/**
 * Applies Flagger's controller-side defaults to a Canary and returns the strongly typed
 * ResolvedCanarySpec the engine works with. Pure: the same Canary always gives the same result.
 * The Canary is validated first; an invalid one yields its problems instead of a spec.
 */
import type { ValidationProblem } from './problems.js';
import { resolveAnalysis } from './resolve-analysis.js';
import type { ResolvedCanarySpec, ResolvedMetadata, ResolvedService } from './resolved.js';
import type { Canary, CanaryCustomMetadata, CanaryService } from './types.generated.js';
import { validateCanary, type ValidateOptions } from './validate.js';

export * from './resolved.js';
export {
  DEFAULT_COOKIE_MAX_AGE,
  DEFAULT_INTERVAL_MS,
  DEFAULT_JUDGE_CONFIDENCE,
  DEFAULT_MAX_RELATIVE_DEGRADATION,
  DEFAULT_METRIC_INTERVAL,
  DEFAULT_READY_THRESHOLD,
  DEFAULT_WEBHOOK_TIMEOUT_MS,
  MIN_INTERVAL_MS,
  strategyOf,
} from './resolve-analysis.js';

export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
export const DEFAULT_PORT_NAME = 'http';
/** Used when a Canary has no metadata.namespace (a manifest read from a file). */
export const DEFAULT_NAMESPACE = 'default';

export type ResolveResult =
  { ok: true; spec: ResolvedCanarySpec } | { ok: false; problems: ValidationProblem[] };

const clone = <T>(value: T): T => structuredClone(value);

function metadata(custom: CanaryCustomMetadata | undefined): ResolvedMetadata {
  return { labels: { ...(custom?.labels ?? {}) }, annotations: { ...(custom?.annotations ?? {}) } };
}

function resolveService(service: CanaryService, targetName: string): ResolvedService {
  const name = service.name || targetName;
  const delegation = service.delegation ?? false;
  const listedHosts = service.hosts ?? [];
  const hosts =
    listedHosts.includes(name) || listedHosts.includes('*')
      ? [...listedHosts]
      : [...listedHosts, name];
  const gateways = service.gateways?.length ? [...service.gateways] : ['mesh'];
  const resolved: ResolvedService = {
    name,
    primaryName: `${name}-primary`,
    canaryName: `${name}-canary`,
    port: service.port,
    portName: service.portName || 'http',
    targetPort:
      service.targetPort === undefined || service.targetPort === ''
        ? service.port
        : service.targetPort,
    protocol: service.appProtocol?.toLowerCase() === 'tcp' ? 'tcp' : 'http',
    portDiscovery: service.portDiscovery ?? false,
    headless: service.headless ?? false,
    match: clone(service.match ?? []),
    gateways: delegation ? [] : gateways,
    hosts: delegation ? [] : hosts,
    delegation,
    apex: metadata(service.apex),
    primary: metadata(service.primary),
    canary: metadata(service.canary),
    unmanagedMetadata: {
      labels: [...(service.unmanagedMetadata?.labels ?? [])],
      annotations: [...(service.unmanagedMetadata?.annotations ?? [])],
    },
  };
  if (service.appProtocol) resolved.appProtocol = service.appProtocol;
  if (service.trafficDistribution) resolved.trafficDistribution = service.trafficDistribution;
  if (service.timeout) resolved.timeout = service.timeout;
  if (service.retries) resolved.retries = clone(service.retries);
  if (service.headers) resolved.headers = clone(service.headers);
  if (service.corsPolicy) resolved.corsPolicy = clone(service.corsPolicy);
  if (service.trafficPolicy) resolved.trafficPolicy = clone(service.trafficPolicy);
  const rewrite: { uri?: string; authority?: string } = {};
  if (service.rewrite?.uri) rewrite.uri = service.rewrite.uri;
  if (service.rewrite?.authority) rewrite.authority = service.rewrite.authority;
  if (rewrite.uri !== undefined || rewrite.authority !== undefined) resolved.rewrite = rewrite;
  return resolved;
}

/** The defaults only; `canary` must already be valid (see resolveCanary). */
function applyDefaults(canary: Canary): ResolvedCanarySpec {
  const spec = canary.spec;
  const namespace = canary.metadata.namespace || DEFAULT_NAMESPACE;
  const analysis = spec.analysis ?? spec.canaryAnalysis;
  const deadline = spec.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS;
  const resolved: ResolvedCanarySpec = {
    name: canary.metadata.name ?? '',
    namespace,
    provider: 'istio',
    targetRef: {
      apiVersion: spec.targetRef.apiVersion,
      kind: 'Deployment',
      name: spec.targetRef.name,
      primaryName: `${spec.targetRef.name}-primary`,
    },
    service: resolveService(spec.service, spec.targetRef.name),
    analysis: resolveAnalysis(analysis ?? {}, namespace),
    skipAnalysis: spec.skipAnalysis === true || analysis === undefined,
    progressDeadlineSeconds: deadline,
    progressDeadlineMs: deadline * 1000,
    revertOnDeletion: spec.revertOnDeletion ?? false,
    suspend: spec.suspend ?? false,
  };
  if (spec.metricsServer) resolved.metricsServer = spec.metricsServer;
  if (spec.autoscalerRef) resolved.autoscalerRef = clone(spec.autoscalerRef);
  return resolved;
}

/** Validates `canary` and, when it has no problems, returns its fully resolved spec. */
export function resolveCanary(canary: Canary, options: ValidateOptions = {}): ResolveResult {
  const problems = validateCanary(canary, options);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, spec: applyDefaults(canary) };
}
