{{/* Chart name, shortened to the 63 characters a label value allows. */}}
{{- define "aviary.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: the release name, prefixed by the chart name unless it already contains it. */}}
{{- define "aviary.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "aviary.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every object. */}}
{{- define "aviary.labels" -}}
helm.sh/chart: {{ include "aviary.chart" . }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: aviary
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
{{- end }}

{{/* Selector labels of the controller pods. */}}
{{- define "aviary.selectorLabels" -}}
app.kubernetes.io/name: {{ include "aviary.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: controller
{{- end }}

{{/* Selector labels of the load tester pods. */}}
{{- define "aviary.loadtester.selectorLabels" -}}
app.kubernetes.io/name: {{ include "aviary.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: loadtester
{{- end }}

{{- define "aviary.loadtester.fullname" -}}
{{- printf "%s-loadtester" (include "aviary.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "aviary.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "aviary.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Name of the Secret holding the HTTP API token. */}}
{{- define "aviary.apiTokenSecretName" -}}
{{- default (printf "%s-api-token" (include "aviary.fullname" .)) .Values.apiToken.existingSecret }}
{{- end }}

{{/* image reference: repository@digest, or repository:tag (tag defaults to appVersion). */}}
{{- define "aviary.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* What aviary-controller reads and writes, and nothing more. */}}
{{- define "aviary.rules" -}}
- apiGroups: [aviary.dev]
  resources: [canaries]
  verbs: [get, list, watch, update, patch]
- apiGroups: [aviary.dev]
  resources: [canaries/status]
  verbs: [get, update, patch]
{{- /* Owner references with blockOwnerDeletion need this where OwnerReferencesPermissionEnforcement is on. */}}
- apiGroups: [aviary.dev]
  resources: [canaries/finalizers]
  verbs: [update]
- apiGroups: [aviary.dev]
  resources: [metrictemplates, alertproviders]
  verbs: [get, list, watch]
- apiGroups: [apps]
  resources: [deployments]
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: ['']
  resources: [services, configmaps, secrets]
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: [autoscaling]
  resources: [horizontalpodautoscalers]
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: [networking.istio.io]
  resources: [virtualservices, destinationrules]
  verbs: [get, list, watch, create, update, patch, delete]
{{- /* get: after a restart the controller reads an existing Event to aggregate into it;
list/watch: the HTTP API serves the recent Events of a canary from an informer cache. */}}
- apiGroups: ['']
  resources: [events]
  verbs: [create, patch, get, list, watch]
{{- end }}
