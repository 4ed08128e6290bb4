{{- define "search-mesh-common.service" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "search-mesh-common.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "search-mesh-common.labels" . | nindent 4 }}
  {{- with .Values.service.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ .Values.service.type }}
  selector:
    {{- include "search-mesh-common.selectorLabels" . | nindent 4 }}
  ports:
    # The port's name is what EndpointSlice discovery looks for (SEARCH_MESH_<SERVICE>_DISCOVERY_PORT_NAME).
    - name: http
      port: {{ .Values.port }}
      targetPort: http
      protocol: TCP
{{- end -}}

{{- define "search-mesh-common.hpa" -}}
{{- if .Values.autoscaling.enabled -}}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "search-mesh-common.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "search-mesh-common.labels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "search-mesh-common.fullname" . }}
  minReplicas: {{ .Values.autoscaling.minReplicas }}
  maxReplicas: {{ .Values.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ .Values.autoscaling.targetCPUUtilizationPercentage }}
    {{- with .Values.autoscaling.targetMemoryUtilizationPercentage }}
    - type: Resource
      resource:
        name: memory
        target:
          type: Utilization
          averageUtilization: {{ . }}
    {{- end }}
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 300
      policies:
        - type: Percent
          value: 50
          periodSeconds: 60
    scaleUp:
      stabilizationWindowSeconds: 0
      policies:
        - type: Percent
          value: 100
          periodSeconds: 30
{{- end -}}
{{- end -}}

{{- define "search-mesh-common.pdb" -}}
{{- if .Values.podDisruptionBudget.enabled -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "search-mesh-common.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "search-mesh-common.labels" . | nindent 4 }}
spec:
  {{- if .Values.podDisruptionBudget.minAvailable }}
  minAvailable: {{ .Values.podDisruptionBudget.minAvailable }}
  {{- else }}
  maxUnavailable: {{ .Values.podDisruptionBudget.maxUnavailable | default 1 }}
  {{- end }}
  unhealthyPodEvictionPolicy: AlwaysAllow
  selector:
    matchLabels:
      {{- include "search-mesh-common.selectorLabels" . | nindent 6 }}
{{- end -}}
{{- end -}}

{{/*
A ServiceAccount per service. RBAC only where the service talks to the API: the orchestrator's
EndpointSlice discovery reads (get/list/watch) the EndpointSlices of its own namespace, nothing else.
*/}}
{{- define "search-mesh-common.serviceaccount" -}}
{{- if .Values.serviceAccount.create -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "search-mesh-common.serviceAccountName" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "search-mesh-common.labels" . | nindent 4 }}
  {{- with .Values.serviceAccount.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: false
{{- end }}
{{- if and .Values.discovery .Values.discovery.enabled }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: {{ include "search-mesh-common.fullname" . }}-endpointslices
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "search-mesh-common.labels" . | nindent 4 }}
rules:
  - apiGroups: ["discovery.k8s.io"]
    resources: ["endpointslices"]
    verbs: ["get", "list", "watch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {{ include "search-mesh-common.fullname" . }}-endpointslices
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "search-mesh-common.labels" . | nindent 4 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: {{ include "search-mesh-common.fullname" . }}-endpointslices
subjects:
  - kind: ServiceAccount
    name: {{ include "search-mesh-common.serviceAccountName" . }}
    namespace: {{ .Release.Namespace }}
{{- end }}
{{- end -}}
