{{/*
ConfigMap with every non-secret setting of the service, as the environment variables the service reads:
SEARCH_MESH_<SERVICE>_<NAME> for its own settings (listen address, shutdown timings, `config` values,
peers and discovery for the orchestrator, the execution provider for a GPU ranking) and the shared
infrastructure variables of the backends it uses (ES_URL, KAFKA_BROKERS, CASSANDRA_*) and SEARCH_MESH_NAMESPACE.
*/}}
{{- define "search-mesh-common.configData" -}}
{{- $prefix := printf "SEARCH_MESH_%s_" (include "search-mesh-common.envSegment" (include "search-mesh-common.component" .)) -}}
{{- $g := .Values.global -}}
{{- $data := dict -}}
{{- $_ := set $data (print $prefix "HOST") "0.0.0.0" -}}
{{- $_ := set $data (print $prefix "PORT") (toString .Values.port) -}}
{{- $_ := set $data (print $prefix "SHUTDOWN_DRAIN_DELAY_MS") (toString .Values.shutdown.drainDelayMs) -}}
{{- $_ := set $data (print $prefix "SHUTDOWN_TIMEOUT_MS") (toString .Values.shutdown.timeoutMs) -}}
{{- $_ := set $data "SEARCH_MESH_NAMESPACE" $g.namespacePrefix -}}
{{- if has "elasticsearch" .Values.backends -}}
{{- $_ := set $data "ES_URL" $g.elasticsearch.url -}}
{{- end -}}
{{- if has "kafka" .Values.backends -}}
{{- $_ := set $data "KAFKA_BROKERS" (join "," $g.kafka.brokers) -}}
{{- end -}}
{{- if has "cassandra" .Values.backends -}}
{{- $_ := set $data "CASSANDRA_CONTACT_POINTS" (join "," $g.cassandra.contactPoints) -}}
{{- $_ := set $data "CASSANDRA_LOCAL_DC" $g.cassandra.localDc -}}
{{- end -}}
{{- range $peer, $p := (.Values.peers | default dict) -}}
{{- $url := $p.url | default (printf "http://%s:%v" (include "search-mesh-common.peerName" (dict "ctx" $ "component" $peer)) $p.port) -}}
{{- $_ := set $data (printf "%s%s_URL" $prefix (include "search-mesh-common.envSegment" $peer)) $url -}}
{{- end -}}
{{- if and .Values.discovery .Values.discovery.enabled -}}
{{- $_ := set $data (print $prefix "DISCOVERY") "kubernetes" -}}
{{- $_ := set $data (print $prefix "DISCOVERY_PORT_NAME") "http" -}}
{{- end -}}
{{- if and .Values.gpu .Values.gpu.enabled -}}
{{- $_ := set $data (print $prefix "EXECUTION_PROVIDER") "cuda" -}}
{{- end -}}
{{- if and .Values.modelRegistry .Values.modelRegistry.existingClaim -}}
{{- $_ := set $data (print $prefix "REGISTRY_DIR") (include "search-mesh-common.modelRegistryPath" .) -}}
{{- end -}}
{{- range $name, $value := (.Values.config | default dict) -}}
{{- $_ := set $data (print $prefix $name) (toString $value) -}}
{{- end -}}
{{- toYaml $data -}}
{{- end -}}

{{- define "search-mesh-common.configmap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "search-mesh-common.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "search-mesh-common.labels" . | nindent 4 }}
data:
  {{- include "search-mesh-common.configData" . | nindent 2 }}
{{- end -}}

{{/* Credentials come only from existing Secrets, never from values. */}}
{{- define "search-mesh-common.secretEnv" -}}
{{- $g := .Values.global -}}
{{- if and (has "elasticsearch" .Values.backends) $g.elasticsearch.existingSecret }}
- name: ES_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ $g.elasticsearch.existingSecret }}
      key: {{ $g.elasticsearch.usernameKey }}
- name: ES_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $g.elasticsearch.existingSecret }}
      key: {{ $g.elasticsearch.passwordKey }}
{{- end }}
{{- if and .Values.adminToken .Values.adminToken.existingSecret }}
- name: {{ printf "SEARCH_MESH_%s_%s" (include "search-mesh-common.envSegment" (include "search-mesh-common.component" .)) .Values.adminToken.env }}
  valueFrom:
    secretKeyRef:
      name: {{ .Values.adminToken.existingSecret }}
      key: {{ .Values.adminToken.key }}
{{- end }}
{{- if and (has "cassandra" .Values.backends) $g.cassandra.existingSecret }}
- name: CASSANDRA_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ $g.cassandra.existingSecret }}
      key: {{ $g.cassandra.usernameKey }}
- name: CASSANDRA_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $g.cassandra.existingSecret }}
      key: {{ $g.cassandra.passwordKey }}
{{- end }}
{{- end -}}

{{/* Where a shared model registry volume is mounted (the ranking service's REGISTRY_DIR). */}}
{{- define "search-mesh-common.modelRegistryPath" -}}
/var/lib/search-mesh/models
{{- end -}}
