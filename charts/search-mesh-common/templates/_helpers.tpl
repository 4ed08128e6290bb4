{{/*
Names and labels. Every object of a service is named "<release>-<component>" (63 characters at most), so
the orchestrator finds its peers as "<release>-<peer>" whether the mesh is installed by the umbrella chart
or service by service under one release name.
*/}}

{{- define "search-mesh-common.component" -}}
{{- .Chart.Name -}}
{{- end -}}

{{- define "search-mesh-common.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The Service name of another component of the same release: (dict "ctx" $ "component" "ranking"). */}}
{{- define "search-mesh-common.peerName" -}}
{{- printf "%s-%s" .ctx.Release.Name .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* `query-understanding` -> `QUERY_UNDERSTANDING`: the <SERVICE> segment of SEARCH_MESH_<SERVICE>_<NAME>. */}}
{{- define "search-mesh-common.envSegment" -}}
{{- . | upper | replace "-" "_" -}}
{{- end -}}

{{- define "search-mesh-common.selectorLabels" -}}
app.kubernetes.io/name: {{ include "search-mesh-common.component" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "search-mesh-common.labels" -}}
{{ include "search-mesh-common.selectorLabels" . }}
app.kubernetes.io/part-of: search-mesh
app.kubernetes.io/component: {{ .Values.role | default "service" }}
app.kubernetes.io/version: {{ include "search-mesh-common.tag" . | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/* Selects the pods of one component of the mesh (any release in the namespace that is part of search-mesh). */}}
{{- define "search-mesh-common.componentSelector" -}}
matchLabels:
  app.kubernetes.io/part-of: search-mesh
  app.kubernetes.io/name: {{ . }}
{{- end -}}

{{- define "search-mesh-common.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- .Values.serviceAccount.name | default (include "search-mesh-common.fullname" .) -}}
{{- else -}}
{{- .Values.serviceAccount.name | default "default" -}}
{{- end -}}
{{- end -}}

{{/* The image tag: the chart's, the global one, or the appVersion; the GPU variant may use its own (a CUDA build). */}}
{{- define "search-mesh-common.tag" -}}
{{- $tag := .Values.image.tag | default .Values.global.image.tag | default .Chart.AppVersion | toString -}}
{{- if and .Values.gpu .Values.gpu.enabled .Values.gpu.imageTag -}}
{{- $tag = .Values.gpu.imageTag | toString -}}
{{- end -}}
{{- $tag -}}
{{- end -}}

{{/* registry/repository:tag, or @digest. */}}
{{- define "search-mesh-common.image" -}}
{{- $registry := .Values.image.registry | default .Values.global.image.registry -}}
{{- $repository := .Values.image.repository | default (printf "search-mesh/%s" (include "search-mesh-common.component" .)) -}}
{{- $tag := include "search-mesh-common.tag" . -}}
{{- $name := ternary $repository (printf "%s/%s" $registry $repository) (empty $registry) -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" $name .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" $name $tag -}}
{{- end -}}
{{- end -}}

{{/*
Seconds the kubelet waits after sending the preStop hook before it kills the container: the preStop pause,
then the service's own drain delay and shutdown timeout, plus a margin. Never less than asked for.
*/}}
{{- define "search-mesh-common.terminationGracePeriodSeconds" -}}
{{- $s := .Values.shutdown -}}
{{- $needed := add $s.preStopSleepSeconds (div (add $s.drainDelayMs $s.timeoutMs 999) 1000) $s.marginSeconds -}}
{{- if and $s.terminationGracePeriodSeconds (lt (int $s.terminationGracePeriodSeconds) (int $needed)) -}}
{{- fail (printf "shutdown.terminationGracePeriodSeconds=%v is too short: the preStop pause (%vs), drain delay (%vms) and shutdown timeout (%vms) need %v s" $s.terminationGracePeriodSeconds $s.preStopSleepSeconds $s.drainDelayMs $s.timeoutMs $needed) -}}
{{- end -}}
{{- $s.terminationGracePeriodSeconds | default $needed -}}
{{- end -}}
