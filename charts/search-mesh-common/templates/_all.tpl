{{/*
Everything one service chart installs. A service chart's templates/all.yaml is just:
  {{ include "search-mesh-common.all" . }}
*/}}
{{- define "search-mesh-common.all" -}}
{{- $docs := list
  (include "search-mesh-common.configmap" .)
  (include "search-mesh-common.serviceaccount" .)
  (include "search-mesh-common.deployment" .)
  (include "search-mesh-common.service" .)
  (include "search-mesh-common.hpa" .)
  (include "search-mesh-common.pdb" .)
  (include "search-mesh-common.networkpolicy" .)
  (include "search-mesh-common.servicemonitor" .)
  (include "search-mesh-common.prometheusrule" .)
-}}
{{- range $docs }}
{{- if trim . }}
---
{{ trim . }}
{{- end }}
{{- end }}
{{- end -}}

{{/* NOTES.txt of a service chart. */}}
{{- define "search-mesh-common.notes" -}}
{{- $name := include "search-mesh-common.fullname" . -}}
{{ include "search-mesh-common.component" . }} is deployed as {{ $name }} in namespace {{ .Release.Namespace }}
(image {{ include "search-mesh-common.image" . }}).

Watch it become ready (probes: /healthz liveness, /readyz readiness):
  kubectl -n {{ .Release.Namespace }} rollout status deploy/{{ $name }}

Look at it from your machine:
  kubectl -n {{ .Release.Namespace }} port-forward svc/{{ $name }} {{ .Values.port }}:{{ .Values.port }}
  curl -s localhost:{{ .Values.port }}/readyz; curl -s localhost:{{ .Values.port }}/metrics | head
{{- if .Values.helmTest.enabled }}

Run a real search through it:  helm test {{ .Release.Name }} -n {{ .Release.Namespace }}
{{- end }}
{{- if and .Values.discovery .Values.discovery.enabled }}

Peers are balanced client-side over the ready endpoints of their Services (EndpointSlice watch); the
gauge mesh_peer_endpoints{peer} shows how many each has.
{{- end }}
{{- if and .Values.gpu .Values.gpu.enabled }}

GPU: {{ .Values.gpu.count }} x {{ .Values.gpu.resourceName }} per pod, CUDA execution provider on
(SEARCH_MESH_RANKING_EXECUTION_PROVIDER=cuda; falls back to CPU with a warning where CUDA is absent).
{{- end }}
{{- if not .Values.global.elasticsearch.existingSecret }}

Note: no global.elasticsearch.existingSecret: Elasticsearch is called without credentials.
{{- end }}
{{- end -}}
