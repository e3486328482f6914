// Informer caches for every kind a tick reads (no per-tick GETs), and the mapping from a change
// of any of them to the canaries it concerns, so the work queue hears about it at once.
import type { AlertProvider, Canary, MetricTemplate } from '../api/types.js';
import {
  ALERT_PROVIDERS,
  CANARIES,
  CONFIGMAPS,
  DEPLOYMENTS,
  DESTINATION_RULES,
  EVENTS,
  HORIZONTAL_POD_AUTOSCALERS,
  METRIC_TEMPLATES,
  ResourceCache,
  SECRETS,
  SERVICES,
  VIRTUAL_SERVICES,
  type CacheChange,
  type CoreEvent,
  type KubeClient,
  type KubeObject,
  type Logger,
  type ResourceType,
} from '../kube/index.js';
import type { Service } from '../router/index.js';
import type { DestinationRule, VirtualService } from '../router/istio/types.js';
import { configIndexKeys } from '../workload/index.js';
import type { ConfigMap, Deployment, HorizontalPodAutoscaler, Secret } from '../workload/types.js';

/** `<namespace>/<name>`: the queue key of a canary. */
export type CanaryKey = string;

export function canaryKey(canary: { metadata?: { namespace?: string; name?: string } }): CanaryKey {
  return `${canary.metadata?.namespace ?? 'default'}/${canary.metadata?.name ?? ''}`;
}

export function splitKey(key: CanaryKey): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

const BY_WORKLOAD = 'workload';
const BY_TEMPLATE = 'template';
const BY_PROVIDER = 'alert-provider';
const BY_AUTOSCALER = 'autoscaler';
const BY_APEX = 'apex';
const BY_CONFIG = 'config';
const BY_INVOLVED_CANARY = 'involved-canary';
/** Events served with a canary's detail. */
export const EVENTS_PER_CANARY = 20;

/** `<namespace>/<name>` of the Canary an Event is about (none for Events about other kinds). */
function involvedCanary(event: CoreEvent): string[] {
  const involved = event.involvedObject;
  const group = involved?.apiVersion?.split('/')[0];
  if (involved?.kind !== 'Canary' || group !== 'aviary.dev' || !involved.name) return [];
  return [`${involved.namespace || event.metadata?.namespace || 'default'}/${involved.name}`];
}

/** Newest first: the last time an Event was seen (or when it was created). */
function seenAt(event: CoreEvent): string {
  return event.lastTimestamp ?? event.firstTimestamp ?? event.metadata?.creationTimestamp ?? '';
}

const nsOf = (canary: Canary) => canary.metadata.namespace ?? 'default';

/** Deployments a canary reads: its target and `<target>-primary`. */
function workloads(canary: Canary): string[] {
  const target = canary.spec?.targetRef?.name;
  if (!target) return [];
  return [`${nsOf(canary)}/${target}`, `${nsOf(canary)}/${target}-primary`];
}

function templates(canary: Canary): string[] {
  const metrics = (canary.spec?.analysis ?? canary.spec?.canaryAnalysis)?.metrics ?? [];
  return metrics.flatMap(m =>
    m.templateRef ? [`${m.templateRef.namespace || nsOf(canary)}/${m.templateRef.name}`] : [],
  );
}

function alertProviders(canary: Canary): string[] {
  const alerts = (canary.spec?.analysis ?? canary.spec?.canaryAnalysis)?.alerts ?? [];
  return alerts.map(a => `${a.providerRef.namespace || nsOf(canary)}/${a.providerRef.name}`);
}

function autoscalers(canary: Canary): string[] {
  const ref = canary.spec?.autoscalerRef;
  return ref ? [`${nsOf(canary)}/${ref.name}`, `${nsOf(canary)}/${ref.name}-primary`] : [];
}

/** Services, DestinationRules and the VirtualService are named after the apex. */
function apexNames(canary: Canary): string[] {
  const apex = canary.spec?.service?.name || canary.spec?.targetRef?.name;
  if (!apex) return [];
  const ns = nsOf(canary);
  return [`${ns}/${apex}`, `${ns}/${apex}-primary`, `${ns}/${apex}-canary`];
}

export interface ClusterOptions {
  client: KubeClient;
  /** Watch one namespace only. */
  namespace?: string;
  logger: Logger;
}

export class Cluster {
  readonly canaries: ResourceCache<Canary>;
  readonly deployments: ResourceCache<Deployment>;
  readonly configMaps: ResourceCache<ConfigMap>;
  readonly secrets: ResourceCache<Secret>;
  readonly services: ResourceCache<Service>;
  readonly autoscalers: ResourceCache<HorizontalPodAutoscaler>;
  readonly virtualServices: ResourceCache<VirtualService>;
  readonly destinationRules: ResourceCache<DestinationRule>;
  readonly metricTemplates: ResourceCache<MetricTemplate>;
  readonly alertProviders: ResourceCache<AlertProvider>;
  /** core/v1 Events, indexed by the Canary they are about (others are cached but not indexed). */
  readonly events: ResourceCache<CoreEvent>;
  private readonly all: Array<ResourceCache<KubeObject>>;
  private started = false;

  constructor(options: ClusterOptions) {
    const make = <T extends KubeObject>(type: ResourceType) =>
      new ResourceCache<T>(options.client, {
        type,
        logger: options.logger,
        ...(options.namespace ? { namespace: options.namespace } : {}),
      });
    this.canaries = make<Canary>(CANARIES);
    this.deployments = make<Deployment>(DEPLOYMENTS);
    this.configMaps = make<ConfigMap>(CONFIGMAPS);
    this.secrets = make<Secret>(SECRETS);
    this.services = make<Service>(SERVICES);
    this.autoscalers = make<HorizontalPodAutoscaler>(HORIZONTAL_POD_AUTOSCALERS);
    this.virtualServices = make<VirtualService>(VIRTUAL_SERVICES);
    this.destinationRules = make<DestinationRule>(DESTINATION_RULES);
    this.metricTemplates = make<MetricTemplate>(METRIC_TEMPLATES);
    this.alertProviders = make<AlertProvider>(ALERT_PROVIDERS);
    this.events = make<CoreEvent>(EVENTS);
    this.events.index(BY_INVOLVED_CANARY, involvedCanary);
    this.deployments.index(BY_CONFIG, configIndexKeys);
    this.canaries.index(BY_WORKLOAD, workloads);
    this.canaries.index(BY_TEMPLATE, templates);
    this.canaries.index(BY_PROVIDER, alertProviders);
    this.canaries.index(BY_AUTOSCALER, autoscalers);
    this.canaries.index(BY_APEX, apexNames);
    this.all = [
      this.canaries,
      this.deployments,
      this.configMaps,
      this.secrets,
      this.services,
      this.autoscalers,
      this.virtualServices,
      this.destinationRules,
      this.metricTemplates,
      this.alertProviders,
      this.events,
    ] as unknown as Array<ResourceCache<KubeObject>>;
  }

  /** The latest Events about one canary, newest first (at most `limit`). */
  canaryEvents(namespace: string, name: string, limit = EVENTS_PER_CANARY): CoreEvent[] {
    return this.events
      .byIndex(BY_INVOLVED_CANARY, `${namespace}/${name}`)
      .sort((a, b) => seenAt(b).localeCompare(seenAt(a)))
      .slice(0, limit);
  }

  /** Lists and watches everything; resolves when every cache has listed once. */
  async start(): Promise<void> {
    this.started = true;
    await Promise.all(this.all.map(cache => cache.start()));
  }

  get synced(): boolean {
    return this.started && this.all.every(cache => cache.synced);
  }

  async stop(): Promise<void> {
    await Promise.all(this.all.map(cache => cache.stop()));
  }

  /**
   * Calls `enqueue` with the canaries each change concerns. Canary changes that only touch
   * status (our own writes) are not reported: nothing a tick reads from the spec changed.
   */
  onCanaryChange(listener: (key: CanaryKey, change: CacheChange<Canary>) => void): void {
    this.canaries.onChange(change => {
      if (change.type === 'update' && change.old && !specOrMetaChanged(change.old, change.object)) {
        return;
      }
      listener(canaryKey(change.object), change);
    });
  }

  /** Changes of the objects canaries depend on, mapped to the canaries' keys. */
  onDependencyChange(enqueue: (key: CanaryKey, reason: string) => void): void {
    const via = <T extends KubeObject>(
      cache: ResourceCache<T>,
      index: string | ((object: T) => Canary[]),
    ) => {
      cache.onChange(change => {
        const obj = change.object;
        const found =
          typeof index === 'string'
            ? this.canaries.byIndex(index, `${obj.metadata?.namespace}/${obj.metadata?.name}`)
            : index(obj);
        for (const canary of found) enqueue(canaryKey(canary), cache.type.kind);
      });
    };
    via(this.deployments, BY_WORKLOAD);
    via(this.metricTemplates, BY_TEMPLATE);
    via(this.alertProviders, BY_PROVIDER);
    via(this.autoscalers, BY_AUTOSCALER);
    via(this.services, BY_APEX);
    via(this.virtualServices, BY_APEX);
    via(this.destinationRules, BY_APEX);
    // ConfigMaps/Secrets: the Deployments referencing them (index on their pod templates),
    // then the canaries of those Deployments.
    const byConfig = (kind: 'configmap' | 'secret') => (obj: KubeObject) => {
      const ns = obj.metadata?.namespace ?? '';
      return this.deployments
        .byIndex(BY_CONFIG, `${ns}/${kind}/${obj.metadata?.name ?? ''}`)
        .flatMap(dep => this.canaries.byIndex(BY_WORKLOAD, `${ns}/${dep.metadata?.name ?? ''}`));
    };
    via(this.configMaps, byConfig('configmap'));
    via(this.secrets, byConfig('secret'));
  }
}

function specOrMetaChanged(old: Canary, next: Canary): boolean {
  const a = old.metadata;
  const b = next.metadata;
  return (
    a.generation !== b.generation ||
    a.deletionTimestamp !== b.deletionTimestamp ||
    JSON.stringify(a.finalizers ?? []) !== JSON.stringify(b.finalizers ?? []) ||
    JSON.stringify(a.annotations ?? {}) !== JSON.stringify(b.annotations ?? {}) ||
    JSON.stringify(old.spec) !== JSON.stringify(next.spec)
  );
}
