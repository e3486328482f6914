/**
 * The controller's API types. The interfaces are generated from the CRD schemas
 * (./schema/, see types.generated.ts); this file gives them their stable public names.
 */
import type {
  CanaryCustomMetadata,
  CanaryMetricTemplateRef,
  CanaryTargetRef,
  LocalSecretRef,
} from './types.generated.js';

export type {
  AlertProvider,
  AlertProviderSpec,
  AlertProviderType,
  Canary,
  CanaryAlert,
  CanaryAlertProviderRef,
  CanaryAlertSeverity,
  CanaryAnalysis,
  CanaryAnalysisMatch,
  CanaryAutoscalerRef,
  CanaryCondition,
  CanaryCustomMetadata,
  CanaryHeaderMatch,
  CanaryIngressRef,
  CanaryJudge,
  CanaryJudgeDirection,
  CanaryJudgeMetric,
  CanaryJudgeType,
  CanaryManualAction,
  CanaryManualActionStatus,
  CanaryMetric,
  CanaryMetricTemplateRef,
  CanaryNoDataPolicy,
  CanaryPhase,
  CanaryProvider,
  CanaryRewrite,
  CanaryRouteRef,
  CanaryScalerReplicas,
  CanaryService,
  CanarySessionAffinity,
  CanarySpec,
  CanaryStatus,
  CanaryTargetRef,
  CanaryThresholdRange,
  CanaryUnmanagedMetadata,
  CanaryUpstreamRef,
  CanaryWebhook,
  CanaryWebhookType,
  IstioCorsPolicy,
  IstioHeaderOperations,
  IstioHeaders,
  IstioHTTPMatchRequest,
  IstioHTTPRetry,
  IstioStringMatch,
  IstioTrafficPolicy,
  LocalSecretRef,
  ManualActionKind,
  ManualActionOutcome,
  MetricProviderType,
  MetricTemplate,
  MetricTemplateProvider,
  MetricTemplateSpec,
} from './types.generated.js';
export type { ObjectMeta, OwnerReference } from './meta.js';
export * from './names.js';

// Names from the interim hand-written version of this file, kept so existing imports still work.
export type CustomMetadata = CanaryCustomMetadata;
export type LocalObjectReference = LocalSecretRef;
export type CrossNamespaceObjectReference = CanaryMetricTemplateRef;
export type TargetRef = CanaryTargetRef;
