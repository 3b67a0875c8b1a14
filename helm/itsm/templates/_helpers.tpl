{{/* The seven services, in the order they are rendered. */}}
{{- define "itsm.services" -}}
gateway incident problem change slm cmdb reporting
{{- end }}

{{- define "itsm.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* <release>-<chart>, or the release alone when it already holds the chart's name. */}}
{{- define "itsm.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* A service's resource name: <fullname>-<service>, at most 63 characters (a Service name's limit). */}}
{{- define "itsm.componentName" -}}
{{- printf "%s-%s" (include "itsm.fullname" .root) .component | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "itsm.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every resource; dict root, component. */}}
{{- define "itsm.labels" -}}
helm.sh/chart: {{ include "itsm.chart" .root }}
{{ include "itsm.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Values.image.tag | default .root.Chart.AppVersion | trunc 63 | quote }}
app.kubernetes.io/part-of: itsm
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "itsm.selectorLabels" -}}
app.kubernetes.io/name: {{ include "itsm.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* Every pod of the release, whatever its component: what the default-deny policy selects. */}}
{{- define "itsm.releasePodLabels" -}}
app.kubernetes.io/name: {{ include "itsm.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "itsm.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}
{{- end }}

{{- define "itsm.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "itsm.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
A service's settings: serviceDefaults overridden key by key by its own block, as JSON (read
it with fromJson). Its extraEnv comes after the default one rather than replacing it.
*/}}
{{- define "itsm.serviceConfig" -}}
{{- $own := index .root.Values .service | default dict }}
{{- $merged := mergeOverwrite (deepCopy .root.Values.serviceDefaults) (deepCopy $own) }}
{{- $_ := set $merged "extraEnv" (concat (.root.Values.serviceDefaults.extraEnv | default list) ($own.extraEnv | default list)) }}
{{- toJson $merged }}
{{- end }}

{{/* The restricted Pod Security level, for every pod of the chart. */}}
{{- define "itsm.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "itsm.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* The pod-level settings shared by Deployments, the migrate Job and the test pod. */}}
{{- define "itsm.podCommon" -}}
automountServiceAccountToken: false
securityContext:
  {{- include "itsm.podSecurityContext" . | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- range . }}
  - name: {{ . }}
  {{- end }}
{{- end }}
{{- end }}

{{/* The Secret the chart makes for inline credentials (database.url, kafka.sasl.password); empty when none is inline. */}}
{{- define "itsm.credentialsNeeded" -}}
{{- if or (and (not .Values.database.existingSecret) .Values.database.url) (and .Values.kafka.sasl.mechanism (not .Values.kafka.sasl.existingSecret) .Values.kafka.sasl.password) }}true{{ end }}
{{- end }}

{{/*
The Kafka and PostgreSQL settings of every service and of its migrate step; dict root,
service, credentials (the name of the chart's credentials Secret to read: the release's,
or the hook copy the migrate Job reads before the release's exists).
*/}}
{{- define "itsm.platformEnv" -}}
{{- $v := .root.Values }}
{{- $svc := upper .service -}}
- name: NODE_ENV
  value: production
- name: {{ $svc }}_PORT
  value: "8080"
- name: {{ $svc }}_METRICS_PORT
  value: "9090"
- name: LOG_LEVEL
  value: {{ $v.logLevel | quote }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      {{- if $v.database.existingSecret }}
      name: {{ $v.database.existingSecret }}
      key: {{ $v.database.existingSecretKey }}
      {{- else }}
      name: {{ .credentials }}
      key: database-url
      {{- end }}
- name: KAFKA_BROKERS
  value: {{ $v.kafka.brokers | quote }}
- name: KAFKA_CONSUMER_GROUP_PREFIX
  value: {{ $v.kafka.consumerGroupPrefix | quote }}
- name: KAFKA_TOPIC_PARTITIONS
  value: {{ $v.kafka.topics.partitions | quote }}
- name: KAFKA_SSL
  value: {{ $v.kafka.tls.enabled | quote }}
{{- if and $v.kafka.tls.enabled (or $v.kafka.tls.ca.secretName $v.kafka.tls.ca.configMapName) }}
- name: KAFKA_SSL_CA_FILE
  value: /etc/itsm/kafka-ca/{{ $v.kafka.tls.ca.key }}
{{- end }}
{{- if and $v.kafka.tls.enabled $v.kafka.tls.clientCertificate.secretName }}
- name: KAFKA_SSL_CERT_FILE
  value: /etc/itsm/kafka-client/{{ $v.kafka.tls.clientCertificate.certKey }}
- name: KAFKA_SSL_KEY_FILE
  value: /etc/itsm/kafka-client/{{ $v.kafka.tls.clientCertificate.keyKey }}
{{- end }}
{{- if $v.kafka.sasl.mechanism }}
- name: KAFKA_SASL_MECHANISM
  value: {{ $v.kafka.sasl.mechanism | quote }}
- name: KAFKA_SASL_USERNAME
  value: {{ $v.kafka.sasl.username | quote }}
- name: KAFKA_SASL_PASSWORD_FILE
  value: /etc/itsm/kafka-sasl/password
{{- end }}
{{- with $v.opentelemetry.endpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ . | quote }}
{{- end }}
{{- end }}

{{/*
Volumes for the Kafka and PostgreSQL settings above; dict root, credentials. Secrets are
readable by the pod's group (fsGroup 10001) only: mode 0440, written in decimal (288), which
every YAML reader reads alike.
*/}}
{{- define "itsm.platformVolumes" -}}
{{- $v := .root.Values -}}
- name: tmp
  emptyDir: {}
{{- if and $v.kafka.tls.enabled (or $v.kafka.tls.ca.secretName $v.kafka.tls.ca.configMapName) }}
- name: kafka-ca
  {{- if $v.kafka.tls.ca.secretName }}
  secret:
    secretName: {{ $v.kafka.tls.ca.secretName }}
    defaultMode: 288
  {{- else }}
  configMap:
    name: {{ $v.kafka.tls.ca.configMapName }}
  {{- end }}
    items:
      - key: {{ $v.kafka.tls.ca.key }}
        path: {{ $v.kafka.tls.ca.key }}
{{- end }}
{{- if and $v.kafka.tls.enabled $v.kafka.tls.clientCertificate.secretName }}
- name: kafka-client
  secret:
    secretName: {{ $v.kafka.tls.clientCertificate.secretName }}
    defaultMode: 288
    items:
      - key: {{ $v.kafka.tls.clientCertificate.certKey }}
        path: {{ $v.kafka.tls.clientCertificate.certKey }}
      - key: {{ $v.kafka.tls.clientCertificate.keyKey }}
        path: {{ $v.kafka.tls.clientCertificate.keyKey }}
{{- end }}
{{- if $v.kafka.sasl.mechanism }}
- name: kafka-sasl
  secret:
    defaultMode: 288
    {{- if $v.kafka.sasl.existingSecret }}
    secretName: {{ $v.kafka.sasl.existingSecret }}
    items:
      - key: {{ $v.kafka.sasl.existingSecretKey }}
        path: password
    {{- else }}
    secretName: {{ .credentials }}
    items:
      - key: kafka-sasl-password
        path: password
    {{- end }}
{{- end }}
{{- if or $v.database.ca.secretName $v.database.ca.configMapName }}
- name: database-ca
  {{- if $v.database.ca.secretName }}
  secret:
    secretName: {{ $v.database.ca.secretName }}
    defaultMode: 288
  {{- else }}
  configMap:
    name: {{ $v.database.ca.configMapName }}
  {{- end }}
    items:
      - key: {{ $v.database.ca.key }}
        path: {{ $v.database.ca.key }}
{{- end }}
{{- end }}

{{- define "itsm.platformVolumeMounts" -}}
{{- $v := .Values -}}
- name: tmp
  mountPath: /tmp
{{- if and $v.kafka.tls.enabled (or $v.kafka.tls.ca.secretName $v.kafka.tls.ca.configMapName) }}
- name: kafka-ca
  mountPath: /etc/itsm/kafka-ca
  readOnly: true
{{- end }}
{{- if and $v.kafka.tls.enabled $v.kafka.tls.clientCertificate.secretName }}
- name: kafka-client
  mountPath: /etc/itsm/kafka-client
  readOnly: true
{{- end }}
{{- if $v.kafka.sasl.mechanism }}
- name: kafka-sasl
  mountPath: /etc/itsm/kafka-sasl
  readOnly: true
{{- end }}
{{- if or $v.database.ca.secretName $v.database.ca.configMapName }}
- name: database-ca
  mountPath: /etc/itsm/database-ca
  readOnly: true
{{- end }}
{{- end }}

{{/* The identity keys Secret: the user's, or the one the chart generates. */}}
{{- define "itsm.identityKeysSecret" -}}
{{- default (printf "%s-identity-keys" (include "itsm.fullname" .)) .Values.identityKeys.existingSecret }}
{{- end }}

{{/* The keys a service's pod mounts from it (dict key name -> file), and only those: the private keys go to their owner alone. */}}
{{- define "itsm.identityItems" -}}
{{- $keys := .root.Values.identityKeys.keys }}
{{- $items := list }}
{{- if eq .service "gateway" }}
{{- $items = append $items $keys.gatewaySigningKey }}
{{- else }}
{{- $items = append $items $keys.gatewayVerificationKeys }}
{{- end }}
{{- if eq .service "change" }}
{{- $items = append $items $keys.changeSigningKey }}
{{- end }}
{{- if eq .service "cmdb" }}
{{- $items = append $items $keys.trustedServiceKeys }}
{{- end }}
{{- toJson $items }}
{{- end }}

{{/* Checksum of everything the chart's Secrets are made from, so pods roll when it changes. */}}
{{- define "itsm.secretsChecksum" -}}
{{- list .Values.database .Values.kafka .Values.auth .Values.identityKeys | toJson | sha256sum }}
{{- end }}

{{/* The annotations of a pre-install/pre-upgrade hook; dict weight. See templates/migrate-job.yaml for why. */}}
{{- define "itsm.migrateHookAnnotations" -}}
helm.sh/hook: pre-install,pre-upgrade
helm.sh/hook-weight: {{ .weight | quote }}
helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
{{- end }}

{{/* The data of the chart's credentials Secret. */}}
{{- define "itsm.credentialsData" -}}
{{- if and (not .Values.database.existingSecret) .Values.database.url }}
database-url: {{ .Values.database.url | b64enc }}
{{- end }}
{{- if and .Values.kafka.sasl.mechanism (not .Values.kafka.sasl.existingSecret) .Values.kafka.sasl.password }}
kafka-sasl-password: {{ .Values.kafka.sasl.password | b64enc }}
{{- end }}
{{- end }}
