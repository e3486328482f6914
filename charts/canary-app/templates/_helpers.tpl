{{- define "app.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
  Full name. Kept to 55 characters: the controller derives <name>-primary and <name>-canary,
  which must still be valid object names.
*/}}
{{- define "app.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 55 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 55 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 55 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "app.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ default .Chart.AppVersion .Values.image.tag | quote }}
{{ include "app.selectorLabels" . }}
{{- end }}

{{/*
  One selector label whose value is the Deployment's name: the controller rewrites it to
  <name>-primary for the primary Deployment and its Service.
*/}}
{{- define "app.selectorLabels" -}}
app.kubernetes.io/name: {{ include "app.fullname" . }}
{{- end }}

{{/* Gateways the routed hosts are attached to. */}}
{{- define "app.gateways" -}}
{{- if .Values.ingress.createGateway }}
- {{ .Release.Namespace }}/{{ include "app.fullname" . }}
{{- else }}
- {{ .Values.ingress.gateway }}
{{- end }}
{{- if .Values.ingress.includeMesh }}
- mesh
{{- end }}
{{- end }}
