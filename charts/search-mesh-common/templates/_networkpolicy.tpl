{{/*
Allows only the calls the mesh makes. Ingress: the component's callers (the storefront for the
orchestrator, the orchestrator for its four peers, the `helm test` pod), and Prometheus scraping.
Egress: DNS, the orchestrator's peers, the backends this component uses (Elasticsearch, Kafka,
Cassandra: by CIDR and port), and the Kubernetes API for EndpointSlice discovery.
*/}}
{{- define "search-mesh-common.networkpolicy" -}}
{{- $np := .Values.global.networkPolicy -}}
{{- if $np.enabled -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "search-mesh-common.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "search-mesh-common.labels" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "search-mesh-common.selectorLabels" . | nindent 6 }}
  policyTypes: ["Ingress", "Egress"]
  ingress:
    {{- $from := list -}}
    {{- range .Values.networkPolicy.allowFrom.components }}
    {{- $from = append $from (dict "podSelector" (include "search-mesh-common.componentSelector" . | fromYaml)) -}}
    {{- end }}
    {{- if .Values.networkPolicy.allowFrom.clients }}
    {{- $from = concat $from ($np.clients | default list) -}}
    {{- end }}
    {{- $from = concat $from (.Values.networkPolicy.allowFrom.extra | default list) -}}
    {{- if $from }}
    - from:
        {{- toYaml $from | nindent 8 }}
      ports:
        - port: http
          protocol: TCP
    {{- end }}
    {{- with $np.prometheus }}
    - from:
        {{- toYaml . | nindent 8 }}
      ports:
        - port: http
          protocol: TCP
    {{- end }}
  egress:
    - to:
        {{- toYaml $np.dns.to | nindent 8 }}
      ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
    {{- range $peer, $p := (.Values.peers | default dict) }}
    - to:
        - podSelector:
            {{- include "search-mesh-common.componentSelector" $peer | nindent 12 }}
      ports:
        - port: {{ $p.port }}
          protocol: TCP
    {{- end }}
    {{- range $backend := .Values.backends }}
    {{- $rule := index $np.egress $backend }}
    - {{- with $rule.cidrs }}
      to:
        {{- range . }}
        - ipBlock:
            cidr: {{ . }}
        {{- end }}
      {{- end }}
      ports:
        {{- range $rule.ports }}
        - port: {{ . }}
          protocol: TCP
        {{- end }}
    {{- end }}
    {{- if and .Values.discovery .Values.discovery.enabled }}
    {{- $api := $np.egress.kubeApiServer }}
    - {{- with $api.cidrs }}
      to:
        {{- range . }}
        - ipBlock:
            cidr: {{ . }}
        {{- end }}
      {{- end }}
      ports:
        {{- range $api.ports }}
        - port: {{ . }}
          protocol: TCP
        {{- end }}
    {{- end }}
    {{- with .Values.networkPolicy.extraEgress }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end -}}
{{- end -}}
