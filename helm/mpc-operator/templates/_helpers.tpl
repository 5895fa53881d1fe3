{{- define "mpc-operator.name" -}}mpc-operator{{- end -}}

{{- define "mpc-operator.fullname" -}}
{{- if contains "mpc-operator" .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-mpc-operator" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "mpc-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mpc-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "mpc-operator.labels" -}}
{{ include "mpc-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* The namespaces the operator manages when not watching all: the listed ones, or the release's. */}}
{{- define "mpc-operator.namespaces" -}}
{{- if .Values.watchNamespaces -}}
{{- join "," .Values.watchNamespaces -}}
{{- else -}}
{{- .Release.Namespace -}}
{{- end -}}
{{- end -}}

{{/* What the operator may do with the objects of a namespace it manages: exactly what the code calls. */}}
{{- define "mpc-operator.rules" -}}
- apiGroups: ["mpc.mpcsystem.io"]
  resources: ["mpcclusters", "keysets"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["mpc.mpcsystem.io"]
  resources: ["mpcclusters/status", "keysets/status"]
  verbs: ["get", "patch", "update"]
- apiGroups: ["apps"]
  resources: ["deployments", "statefulsets"]
  verbs: ["get", "list", "watch", "create", "patch", "update"]
# Services, ConfigMaps and ServiceAccounts no longer wanted are pruned
- apiGroups: [""]
  resources: ["services", "configmaps", "serviceaccounts"]
  verbs: ["get", "list", "watch", "create", "patch", "update", "delete"]
# KEK Secrets, generated credentials, the development key store; never deleted by the operator
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch", "create", "patch", "update"]
# a party pod stuck on an old revision is deleted so its StatefulSet can roll (kubernetes#67250)
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "delete"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["get", "list", "watch", "create", "patch", "update", "delete"]
- apiGroups: ["networking.k8s.io"]
  resources: ["networkpolicies"]
  verbs: ["get", "list", "watch", "create", "patch", "update", "delete"]
- apiGroups: ["monitoring.coreos.com"]
  resources: ["servicemonitors"]
  verbs: ["get", "list", "create", "patch", "update", "delete"]
- apiGroups: ["cert-manager.io"]
  resources: ["certificates"]
  verbs: ["get", "list", "create", "patch", "update", "delete"]
{{- end -}}
