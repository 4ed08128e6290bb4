{{- define "search-mesh-common.servicemonitor" -}}
{{- $sm := .Values.global.monitoring.serviceMonitor -}}
{{- if $sm.enabled -}}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "search-mesh-common.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "search-mesh-common.labels" . | nindent 4 }}
    {{- with $sm.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  selector:
    matchLabels:
      {{- include "search-mesh-common.selectorLabels" . | nindent 6 }}
  namespaceSelector:
    matchNames: [{{ .Release.Namespace | quote }}]
  endpoints:
    - port: http
      path: /metrics
      interval: {{ $sm.interval }}
      scrapeTimeout: {{ $sm.scrapeTimeout }}
{{- end -}}
{{- end -}}

{{/*
SLO alerts from http_server_request_duration_seconds (probes and /metrics left out): multi-window burn
rate of the error budget (5xx share of requests against `slo.availability`), fast (page) and slow
(ticket), and the p99 latency over `slo.latencyP99Seconds`.
*/}}
{{- define "search-mesh-common.prometheusrule" -}}
{{- $pr := .Values.global.monitoring.prometheusRule -}}
{{- if $pr.enabled -}}
{{- $name := include "search-mesh-common.fullname" . -}}
{{- if eq (.Values.role | default "service") "worker" -}}
{{- include "search-mesh-common.workerRule" . -}}
{{- else -}}
{{- $sel := printf "namespace=%q, service=%q, route!~\"/healthz|/readyz|/metrics\"" .Release.Namespace $name -}}
{{- $budget := sub 1.0 (float64 .Values.slo.availability) -}}
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: {{ $name }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "search-mesh-common.labels" . | nindent 4 }}
    {{- with $pr.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  groups:
    - name: {{ $name }}.slo
      rules:
        {{- range $window := list "5m" "30m" "1h" "6h" }}
        - record: search_mesh:http_errors:ratio_rate{{ $window }}
          expr: |
            sum(rate(http_server_request_duration_seconds_count{ {{- $sel }}, status_code=~"5.."}[{{ $window }}]))
            /
            clamp_min(sum(rate(http_server_request_duration_seconds_count{ {{- $sel }}}[{{ $window }}])), 1e-9)
          labels:
            service: {{ $name }}
        {{- end }}
        - alert: SearchMeshErrorBudgetFastBurn
          expr: |
            search_mesh:http_errors:ratio_rate5m{service="{{ $name }}"} > {{ mulf 14.4 $budget }}
            and
            search_mesh:http_errors:ratio_rate1h{service="{{ $name }}"} > {{ mulf 14.4 $budget }}
          for: 2m
          labels:
            severity: critical
            service: {{ $name }}
          annotations:
            summary: {{ printf "%s is burning its error budget fast" $name | quote }}
            description: {{ printf "More than %.2f%% of requests to %s failed with 5xx over the last hour (SLO %v)." (mulf 1440.0 $budget) $name .Values.slo.availability | quote }}
        - alert: SearchMeshErrorBudgetSlowBurn
          expr: |
            search_mesh:http_errors:ratio_rate30m{service="{{ $name }}"} > {{ mulf 6.0 $budget }}
            and
            search_mesh:http_errors:ratio_rate6h{service="{{ $name }}"} > {{ mulf 6.0 $budget }}
          for: 15m
          labels:
            severity: warning
            service: {{ $name }}
          annotations:
            summary: {{ printf "%s is burning its error budget" $name | quote }}
            description: {{ printf "More than %.2f%% of requests to %s failed with 5xx over the last 6 hours (SLO %v)." (mulf 600.0 $budget) $name .Values.slo.availability | quote }}
        - alert: SearchMeshLatencyP99High
          expr: |
            histogram_quantile(0.99, sum by (le) (rate(http_server_request_duration_seconds_bucket{ {{- $sel }}}[5m])))
            > {{ .Values.slo.latencyP99Seconds }}
          for: 10m
          labels:
            severity: warning
            service: {{ $name }}
          annotations:
            summary: {{ printf "%s p99 latency is above %vs" $name .Values.slo.latencyP99Seconds | quote }}
            description: {{ printf "The 99th percentile of %s's request duration has been above %v s for 10 minutes." $name .Values.slo.latencyP99Seconds | quote }}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* A worker serves no requests: its alert is on how far it lags behind its topic. */}}
{{- define "search-mesh-common.workerRule" -}}
{{- $name := include "search-mesh-common.fullname" . -}}
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: {{ $name }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "search-mesh-common.labels" . | nindent 4 }}
    {{- with .Values.global.monitoring.prometheusRule.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  groups:
    - name: {{ $name }}.lag
      rules:
        - alert: SearchMeshConsumerLagHigh
          expr: |
            sum(indexer_consumer_lag{namespace={{ .Release.Namespace | quote }}, service={{ $name | quote }}}) > {{ .Values.slo.maxConsumerLag }}
          for: 10m
          labels:
            severity: warning
            service: {{ $name }}
          annotations:
            summary: {{ printf "%s is more than %v events behind" $name .Values.slo.maxConsumerLag | quote }}
            description: {{ printf "%s's consumer lag has stayed above %v events for 10 minutes: search results are going stale." $name .Values.slo.maxConsumerLag | quote }}
{{- end -}}
