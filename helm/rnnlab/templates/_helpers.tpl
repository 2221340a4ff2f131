{{/* The chart's name, shortened to fit a label. */}}
{{- define "rnnlab.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The release-qualified name every object starts with. */}}
{{- define "rnnlab.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "rnnlab.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "rnnlab.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "rnnlab.selectorLabels" -}}
app.kubernetes.io/name: {{ include "rnnlab.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "rnnlab.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "rnnlab.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "rnnlab.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The secret holding the API keys: the chart's own unless an existing one is named. */}}
{{- define "rnnlab.apiKeySecret" -}}
{{- default (include "rnnlab.fullname" .) .Values.apiKeys.existingSecret -}}
{{- end -}}

{{- define "rnnlab.apiKeyKey" -}}
{{- if .Values.apiKeys.existingSecret -}}{{ .Values.apiKeys.existingSecretKeyKey }}{{- else -}}api-key{{- end -}}
{{- end -}}

{{- define "rnnlab.readKeyKey" -}}
{{- if .Values.apiKeys.existingSecret -}}{{ .Values.apiKeys.existingSecretReadKeyKey }}{{- else -}}read-key{{- end -}}
{{- end -}}

{{/* The read key as an environment variable called .name (the silos' read keys, the dashboard's key), when there is one. */}}
{{- define "rnnlab.readKeyEnv" -}}
{{- $root := .root -}}
{{- if or $root.Values.apiKeys.readKey $root.Values.apiKeys.existingSecret }}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ include "rnnlab.apiKeySecret" $root }}
      key: {{ include "rnnlab.readKeyKey" $root }}
      optional: true
{{- end }}
{{- end -}}

{{/* The secret holding the database connection string, and its key. */}}
{{- define "rnnlab.databaseSecret" -}}
{{- default (include "rnnlab.fullname" .) .Values.postgresql.external.existingSecret -}}
{{- end -}}

{{- define "rnnlab.databaseSecretKey" -}}
{{- if .Values.postgresql.external.existingSecret -}}
{{- .Values.postgresql.external.existingSecretKey -}}
{{- else -}}
connection-string
{{- end -}}
{{- end -}}

{{/* Labels Orleans' Kubernetes hosting reads to find the silos of this cluster. */}}
{{- define "rnnlab.orleansLabels" -}}
orleans/clusterId: {{ .Values.cluster.clusterId | quote }}
orleans/serviceId: {{ .Values.cluster.serviceId | quote }}
{{- end -}}

{{/* Environment of a silo (api or worker): settings from the ConfigMap, secrets from their Secret, identity from the pod. */}}
{{- define "rnnlab.siloEnv" -}}
- name: RNNLAB_STORAGE__CONNECTIONSTRING
  valueFrom:
    secretKeyRef:
      name: {{ include "rnnlab.databaseSecret" . }}
      key: {{ include "rnnlab.databaseSecretKey" . }}
{{- if or .Values.apiKeys.key .Values.apiKeys.existingSecret }}
- name: RNNLAB_API__KEYS__0
  valueFrom:
    secretKeyRef:
      name: {{ include "rnnlab.apiKeySecret" . }}
      key: {{ include "rnnlab.apiKeyKey" . }}
{{- end }}
{{- include "rnnlab.readKeyEnv" (dict "root" . "name" "RNNLAB_API__READKEYS__0") }}
{{- if .Values.kubernetesHosting.enabled }}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
- name: POD_IP
  valueFrom:
    fieldRef:
      fieldPath: status.podIP
- name: ORLEANS_CLUSTER_ID
  value: {{ .Values.cluster.clusterId | quote }}
- name: ORLEANS_SERVICE_ID
  value: {{ .Values.cluster.serviceId | quote }}
{{- else }}
- name: RNNLAB_CLUSTER__ADVERTISEDIP
  valueFrom:
    fieldRef:
      fieldPath: status.podIP
{{- end }}
{{- end -}}

{{/* HTTP probes on the web port: started and alive = /health/live, ready = database and silo up. */}}
{{- define "rnnlab.probes" -}}
startupProbe:
  httpGet:
    path: /health/live
    port: web
  periodSeconds: {{ .Values.probes.startup.periodSeconds }}
  failureThreshold: {{ .Values.probes.startup.failureThreshold }}
livenessProbe:
  httpGet:
    path: /health/live
    port: web
  periodSeconds: {{ .Values.probes.liveness.periodSeconds }}
  timeoutSeconds: {{ .Values.probes.liveness.timeoutSeconds }}
  failureThreshold: {{ .Values.probes.liveness.failureThreshold }}
readinessProbe:
  httpGet:
    path: /health/ready
    port: web
  periodSeconds: {{ .Values.probes.readiness.periodSeconds }}
  timeoutSeconds: {{ .Values.probes.readiness.timeoutSeconds }}
  failureThreshold: {{ .Values.probes.readiness.failureThreshold }}
{{- end -}}

{{/* Ports of a silo container. */}}
{{- define "rnnlab.siloPorts" -}}
- name: grpc
  containerPort: 5180
- name: web
  containerPort: 5181
- name: silo
  containerPort: {{ .Values.cluster.siloPort }}
- name: gateway
  containerPort: {{ .Values.cluster.gatewayPort }}
{{- end -}}
