{{- define "search-mesh-common.deployment" -}}
{{- $component := include "search-mesh-common.component" . -}}
{{- $gpuValues := .Values.gpu | default dict -}}
{{- $gpu := $gpuValues.enabled | default false -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "search-mesh-common.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "search-mesh-common.labels" . | nindent 4 }}
spec:
  {{- if not .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
  revisionHistoryLimit: 5
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 0
  selector:
    matchLabels:
      {{- include "search-mesh-common.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "search-mesh-common.labels" . | nindent 8 }}
        {{- with .Values.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        checksum/config: {{ include "search-mesh-common.configData" . | sha256sum }}
        {{- with .Values.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "search-mesh-common.serviceAccountName" . }}
      # Only a service that watches the API (the orchestrator's EndpointSlice discovery) gets a token.
      automountServiceAccountToken: {{ and .Values.discovery .Values.discovery.enabled | default false }}
      terminationGracePeriodSeconds: {{ include "search-mesh-common.terminationGracePeriodSeconds" . }}
      {{- with (concat (.Values.global.imagePullSecrets | default list) (.Values.imagePullSecrets | default list)) }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.priorityClassName }}
      priorityClassName: {{ . }}
      {{- end }}
      securityContext:
        runAsNonRoot: true
        runAsUser: {{ .Values.securityContext.runAsUser }}
        runAsGroup: {{ .Values.securityContext.runAsGroup }}
        fsGroup: {{ .Values.securityContext.runAsGroup }}
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: {{ $component }}
          image: {{ include "search-mesh-common.image" . | quote }}
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ .Values.port }}
              protocol: TCP
          envFrom:
            - configMapRef:
                name: {{ include "search-mesh-common.fullname" . }}
          env:
            - name: NODE_OPTIONS
              value: {{ printf "--max-old-space-size=%v" .Values.nodeMaxOldSpaceMb | quote }}
            {{- with (include "search-mesh-common.secretEnv" . | trim) }}
            {{- . | nindent 12 }}
            {{- end }}
            {{- with .Values.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          startupProbe:
            httpGet:
              path: /healthz
              port: http
            periodSeconds: 2
            failureThreshold: {{ .Values.probes.startupFailureThreshold }}
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
            periodSeconds: 10
            timeoutSeconds: 2
            failureThreshold: 3
          readinessProbe:
            httpGet:
              path: /readyz
              port: http
            periodSeconds: {{ .Values.probes.readinessPeriodSeconds }}
            timeoutSeconds: 2
            failureThreshold: 2
            successThreshold: 1
          lifecycle:
            # Keep serving while the endpoint controller and every watcher (kube-proxy, the orchestrator's
            # EndpointSlice discovery) drop this pod; SIGTERM comes after the pause.
            preStop:
              exec:
                command: ["sleep", "{{ .Values.shutdown.preStopSleepSeconds }}"]
          resources:
            {{- $resources := deepCopy .Values.resources -}}
            {{- if $gpu }}
            {{- $limits := $resources.limits | default dict -}}
            {{- $_ := set $limits .Values.gpu.resourceName (.Values.gpu.count | toString) -}}
            {{- $_ := set $resources "limits" $limits -}}
            {{- end }}
            {{- toYaml $resources | nindent 12 }}
          securityContext:
            runAsNonRoot: true
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            privileged: false
            capabilities:
              drop: ["ALL"]
            seccompProfile:
              type: RuntimeDefault
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- if and .Values.modelRegistry .Values.modelRegistry.existingClaim }}
            - name: model-registry
              mountPath: {{ include "search-mesh-common.modelRegistryPath" . }}
            {{- end }}
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: {{ .Values.tmpSizeLimit }}
        {{- if and .Values.modelRegistry .Values.modelRegistry.existingClaim }}
        - name: model-registry
          persistentVolumeClaim:
            claimName: {{ .Values.modelRegistry.existingClaim }}
        {{- end }}
      {{- $nodeSelector := merge (dict) (.Values.nodeSelector | default dict) (ternary ($gpuValues.nodeSelector | default dict) dict $gpu) }}
      {{- with $nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- $tolerations := concat (.Values.tolerations | default list) (ternary ($gpuValues.tolerations | default list) list $gpu) }}
      {{- with $tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- if .Values.topologySpread.enabled }}
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: {{ .Values.topologySpread.topologyKey }}
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              {{- include "search-mesh-common.selectorLabels" . | nindent 14 }}
      {{- end }}
{{- end -}}
