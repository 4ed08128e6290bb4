{{/*
`helm test`: a real search through the orchestrator's Service. GET /v1/search?q=tv must answer 200 with
a JSON body. The pod is labelled so the orchestrator's NetworkPolicy lets it in.
*/}}
{{- define "search-mesh-common.searchTest" -}}
{{- if .Values.helmTest.enabled -}}
{{- $url := printf "http://%s:%v%s" (include "search-mesh-common.fullname" .) .Values.port .Values.helmTest.path -}}
apiVersion: v1
kind: Pod
metadata:
  name: {{ include "search-mesh-common.fullname" . }}-search-test
  namespace: {{ .Release.Namespace }}
  labels:
    app.kubernetes.io/name: search-test
    app.kubernetes.io/instance: {{ .Release.Name }}
    app.kubernetes.io/part-of: search-mesh
    app.kubernetes.io/managed-by: {{ .Release.Service }}
  annotations:
    helm.sh/hook: test
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
spec:
  restartPolicy: Never
  automountServiceAccountToken: false
  securityContext:
    runAsNonRoot: true
    runAsUser: 10001
    runAsGroup: 10001
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: search
      image: {{ .Values.helmTest.image | quote }}
      imagePullPolicy: IfNotPresent
      env:
        - name: SEARCH_URL
          value: {{ $url | quote }}
      command: ["/bin/sh", "-ec"]
      args:
        - |
          echo "GET $SEARCH_URL"
          out=$(curl -sS --retry 5 --retry-connrefused --retry-delay 2 --max-time 10 \
            -H 'accept: application/json' -o /tmp/body -w '%{http_code} %{content_type}' "$SEARCH_URL")
          echo "answered: $out"; head -c 600 /tmp/body; echo
          code=${out%% *}; type=${out#* }
          [ "$code" = 200 ] || { echo "expected 200, got $code"; exit 1; }
          case "$type" in application/json*) ;; *) echo "expected JSON, got '$type'"; exit 1 ;; esac
          head -c 1 /tmp/body | grep -q '{' || { echo 'body is not a JSON object'; exit 1; }
          echo "search OK"
      resources:
        requests: { cpu: 10m, memory: 16Mi }
        limits: { cpu: 100m, memory: 64Mi }
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities:
          drop: ["ALL"]
      volumeMounts:
        - name: tmp
          mountPath: /tmp
  volumes:
    - name: tmp
      emptyDir:
        sizeLimit: 16Mi
{{- end -}}
{{- end -}}
