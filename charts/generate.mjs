#!/usr/bin/env node
// Writes the per-service charts (Chart.yaml, values.yaml, values.schema.json, templates) from one table,
// so the six charts stay the same shape: every template lives once, in the search-mesh-common library
// chart, and a service chart only names its port, its backends, its callers and its extras.
//
//   node charts/generate.mjs          rewrite the service charts
//   node charts/generate.mjs --check  exit 1 if any generated file is out of date (run by the chart test)
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const chartsDir = dirname(fileURLToPath(import.meta.url));
const VERSION = '0.1.0';
const APP_VERSION = '0.1.0';

/** The mesh's services: what differs between their charts. */
export const SERVICES = {
  orchestrator: {
    description: 'The storefront entry point: plans a search with its peers, retrieves from Elasticsearch, reranks.',
    port: 8080,
    backends: ['elasticsearch', 'kafka'],
    allowFrom: { components: ['search-test', 'facet'], clients: true },
    peers: { 'query-understanding': 8081, autocomplete: 8082, facet: 8083, ranking: 8084 },
    discovery: true,
    helmTest: true,
    resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { memory: '512Mi' } },
  },
  'query-understanding': {
    description: 'Turns a raw query into a plan: corrections, filters, boosts, categories.',
    port: 8081,
    backends: ['kafka'],
    allowFrom: { components: ['orchestrator'] },
    adminApi: 'POST /v1/rules',
    config: {
      RULES_FROM_KAFKA: { value: true, set: true, doc: "follow the merchandisers' rule sets on the config-changes topic (the service's own default is false)" },
      CLASSIFIER_RUNTIME: { value: 'typescript', doc: 'typescript (same weights, synchronous) or onnxruntime (the reference)' },
      CATEGORY_BOOST_MIN: { value: 0.3, doc: 'a predicted category at least this probable becomes a boost' },
      CATEGORY_FILTER_MIN: { value: 1.01, doc: 'a predicted category at least this probable becomes a filter; above 1: never' },
      LEAF_BOOST_MIN: { value: 1.01, doc: 'a predicted leaf category below lvl2 at least this probable becomes a boost; above 1: never' },
    },
  },
  autocomplete: {
    description: 'Query suggestions as the shopper types.',
    port: 8082,
    backends: ['kafka'],
    allowFrom: { components: ['orchestrator'] },
    adminApi: 'GET /v1/blocklist, read-only',
    config: {
      QUERY_LOG_FROM_KAFKA: { value: true, doc: 'follow the live query-log topic' },
      REBUILD_INTERVAL_MS: { value: 10000, doc: 'how often new query-log counts are built into the index' },
      CATALOG_SIZE: { value: 50000, doc: 'size of the demo catalog the indexer serves (its brands, lines, categories)' },
      BLOCKLIST_FROM_KAFKA: { value: true, doc: "follow the merchandisers' suggestion blocklist (facet service) on the config-changes topic" },
      BLOCKLIST: { value: '', doc: 'phrases separated by "|" blocked always, on top of the merchandisers\' blocklist' },
    },
  },
  facet: {
    description: 'Which facets a search shows, and the merchandisers\' facet admin API.',
    port: 8083,
    backends: ['cassandra', 'kafka'],
    allowFrom: { components: ['orchestrator'] },
    extraIngressComment: 'e.g. the merchandisers\' browsers through an ingress controller: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}}]',
    // The console's preview asks the orchestrator for results before and after a draft change.
    peers: { orchestrator: 8080 },
    adminApi: '/v1/admin/* and the console',
    adminTokenEnv: 'ADMIN_TOKENS',
    adminTokenFormat: 'comma-separated name:role:token entries (roles viewer, merchandiser, admin)',
  },
  ranking: {
    description: 'Reranks candidates with ONNX models and features from the Cassandra feature store; optional GPU.',
    port: 8084,
    backends: ['cassandra', 'kafka'],
    allowFrom: { components: ['orchestrator'] },
    adminApi: '/v1/admin/* (model registry, activation, canary, shadow, rollback)',
    modelRegistry: true,
    gpu: true,
    resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { memory: '1Gi' } },
    nodeMaxOldSpaceMb: 768,
  },
  indexer: {
    description: 'Worker: consumes catalog events from Kafka and writes them to Elasticsearch.',
    port: 8085,
    role: 'worker',
    backends: ['kafka', 'elasticsearch'],
    allowFrom: { components: [] },
    replicaCount: 1,
    autoscalingMax: 4,
  },
  'feature-pipeline': {
    description: 'Worker: aggregates shopper behaviour from Kafka into the Cassandra feature store, exactly once in effect.',
    port: 8086,
    role: 'worker',
    backends: ['kafka', 'cassandra'],
    allowFrom: { components: [] },
    replicaCount: 1,
    autoscalingMax: 4,
  },
};

const BACKEND_PORTS = { elasticsearch: 9200, kafka: 9092, cassandra: 9042 };

// ---------- values.yaml ----------

function yamlList(items, indent) {
  if (items.length === 0) return ' []';
  return items.map((i) => `\n${' '.repeat(indent)}- ${i}`).join('');
}

function configYaml(config) {
  return Object.entries(config)
    .map(([key, { value, set, doc }]) => `\n  # ${doc}\n  ${set ? '' : '# '}${key}: ${JSON.stringify(value)}`)
    .join('');
}

/** Services with an admin API read its bearer token from an existing Secret, never from values. */
function adminTokenYaml(name, s) {
  if (s.adminApi === undefined) return '';
  const env = s.adminTokenEnv ?? 'ADMIN_TOKEN';
  return `# Bearer token${s.adminTokenFormat ? 's' : ''} of the admin API (${s.adminApi}): SEARCH_MESH_${envSegment(name)}_${env} from this
# Secret's key${s.adminTokenFormat ? ` (${s.adminTokenFormat})` : ''}. Empty: no token, and the admin API refuses every call.
adminToken:
  existingSecret: ""
  key: admin-token
  env: ${env}
`;
}

function resourcesYaml(r) {
  return `resources:
  requests:
    cpu: ${r.requests.cpu}
    memory: ${r.requests.memory}
  limits:
    memory: ${r.limits.memory}`;
}

/** The `global` block: shared by every chart, set once in the umbrella chart. */
export const GLOBAL_VALUES = `global:
  image:
    # Registry and tag of every service image (search-mesh/<service>:<tag>); a chart's image.* wins.
    registry: ""
    tag: ""
  imagePullSecrets: []
  # SEARCH_MESH_NAMESPACE: prefix of every Kafka topic, Cassandra keyspace and Elasticsearch index.
  namespacePrefix: search_mesh
  # External clusters. Credentials only from existing Secrets (keys username/password by default).
  elasticsearch:
    url: http://elasticsearch:9200
    existingSecret: ""
    usernameKey: username
    passwordKey: password
  kafka:
    brokers:
      - kafka:9092
  cassandra:
    contactPoints:
      - cassandra:9042
    localDc: datacenter1
    existingSecret: ""
    usernameKey: username
    passwordKey: password
  networkPolicy:
    # One NetworkPolicy per service allowing only the calls the mesh makes.
    enabled: false
    # Who may call the orchestrator (NetworkPolicyPeer list): the storefront.
    clients:
      - podSelector:
          matchLabels:
            app.kubernetes.io/name: storefront
    # Who may scrape /metrics (NetworkPolicyPeer list); empty: nobody.
    prometheus:
      - namespaceSelector:
          matchLabels:
            kubernetes.io/metadata.name: monitoring
    dns:
      to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: kube-system
          podSelector:
            matchLabels:
              k8s-app: kube-dns
    # Egress to the backends (and to the API server for EndpointSlice discovery): CIDRs and ports.
    # No CIDRs: any address, on those ports only.
    egress:
      elasticsearch:
        cidrs: []
        ports: [9200]
      kafka:
        cidrs: []
        ports: [9092]
      cassandra:
        cidrs: []
        ports: [9042]
      kubeApiServer:
        cidrs: []
        ports: [443, 6443]
  monitoring:
    # Prometheus Operator objects (monitoring.coreos.com/v1).
    serviceMonitor:
      enabled: false
      interval: 30s
      scrapeTimeout: 10s
      labels: {}
    prometheusRule:
      enabled: false
      labels: {}`;

function valuesYaml(name, s) {
  const role = s.role ?? 'service';
  const resources = s.resources ?? { requests: { cpu: '100m', memory: '192Mi' }, limits: { memory: '384Mi' } };
  const out = [];
  out.push(`# ${name}: ${s.description}
# Generated by charts/generate.mjs from its SERVICES table; edit there, then run \`node charts/generate.mjs\`.

${GLOBAL_VALUES}

fullnameOverride: ""
# service (answers HTTP requests) or worker (serves only probes and metrics)
role: ${role}
# Container and Service port (SEARCH_MESH_${envSegment(name)}_PORT); the Service port is named "http".
port: ${s.port}
replicaCount: ${s.replicaCount ?? 2}

image:
  registry: ""
  # default: search-mesh/${name}
  repository: ""
  # default: global.image.tag, then the chart's appVersion
  tag: ""
  digest: ""
  pullPolicy: IfNotPresent
imagePullSecrets: []

# Backends this service uses: decides its Secret env and its NetworkPolicy egress.
backends:${yamlList(s.backends, 2)}

# Service settings, as SEARCH_MESH_${envSegment(name)}_<NAME> (see the README's configuration table);
# commented ones show the service's default.
config:
  LOG_LEVEL: info${configYaml(s.config ?? {})}
${adminTokenYaml(name, s)}# Extra container env entries (EnvVar list).
extraEnv: []

${resourcesYaml(resources)}
${s.modelRegistry ? `# The model registry all replicas share (versions, artifacts, which one serves): a ReadWriteMany
# PersistentVolumeClaim mounted at /var/lib/search-mesh/models (REGISTRY_DIR). Empty: each pod keeps its own
# under /tmp, started from the committed model, and an admin change reaches only the pod that took it.
modelRegistry:
  existingClaim: ""
` : ''}# Node's heap ceiling (MB); keep it under the memory limit.
nodeMaxOldSpaceMb: ${s.nodeMaxOldSpaceMb ?? 256}
# Size limit of the /tmp emptyDir (the root filesystem is read-only).
tmpSizeLimit: 64Mi

shutdown:
  # preStop pause: the pod keeps serving while endpoints (kube-proxy, EndpointSlice watchers) drop it.
  preStopSleepSeconds: 5
  # SHUTDOWN_DRAIN_DELAY_MS and SHUTDOWN_TIMEOUT_MS of the service (after SIGTERM).
  drainDelayMs: 1000
  timeoutMs: 10000
  marginSeconds: 5
  # 0: preStop + drain + timeout + margin. A smaller value is refused.
  terminationGracePeriodSeconds: 0

probes:
  # /healthz every 2 s for up to this many tries while the service starts.
  startupFailureThreshold: 30
  readinessPeriodSeconds: 5

service:
  type: ClusterIP
  annotations: {}

autoscaling:
  enabled: false
  minReplicas: ${s.replicaCount ?? 2}
  maxReplicas: ${s.autoscalingMax ?? 10}
  targetCPUUtilizationPercentage: 70
  # empty: CPU only
  targetMemoryUtilizationPercentage: null

podDisruptionBudget:
  enabled: true
  maxUnavailable: 1
  # set to use minAvailable instead of maxUnavailable
  minAvailable: null

serviceAccount:
  create: true
  name: ""
  annotations: {}

securityContext:
  runAsUser: 10001
  runAsGroup: 10001

networkPolicy:
  allowFrom:
    # Components of the mesh that call this one (pods labelled app.kubernetes.io/name=<component>).
    components:${yamlList(s.allowFrom.components, 6)}
    # Also global.networkPolicy.clients (the storefront).
    clients: ${s.allowFrom.clients ? 'true' : 'false'}
    # More NetworkPolicyPeers${s.extraIngressComment ? `, ${s.extraIngressComment}` : ''}.
    extra: []
  # More egress rules (NetworkPolicyEgressRule list).
  extraEgress: []

podAnnotations: {}
podLabels: {}
nodeSelector: {}
tolerations: []
affinity: {}
priorityClassName: ""
topologySpread:
  enabled: true
  topologyKey: topology.kubernetes.io/zone

# SLO of the PrometheusRule (global.monitoring.prometheusRule.enabled).
slo:
  availability: 0.999
  latencyP99Seconds: ${name === 'orchestrator' ? '0.5' : '0.2'}${role === 'worker' ? '\n  maxConsumerLag: 10000' : ''}

helmTest:
  # \`helm test\`: GET <path> through the Service must answer 200 JSON.
  enabled: ${s.helmTest ? 'true' : 'false'}
  image: curlimages/curl:8.11.1
  path: /v1/search?q=tv`);
  if (s.discovery) {
    out.push(`
# Client-side load balancing: watch the EndpointSlices of each peer's Service and spread requests over
# the ready pods (SEARCH_MESH_ORCHESTRATOR_DISCOVERY=kubernetes). Needs the Role this chart creates
# (get/list/watch endpointslices in the release namespace). false: call the Service URLs (kube-proxy).
discovery:
  enabled: true`);
  }
  if (s.peers) {
    out.push(`
# Peers, called at http://<release>-<peer>:<port> unless a url is given.
peers:
${Object.entries(s.peers)
  .map(([peer, port]) => `  ${peer}:\n    port: ${port}\n    url: ""`)
  .join('\n')}`);
  }
  if (s.gpu) {
    out.push(`
# GPU variant: one ${'nvidia.com/gpu'} per pod, scheduled on GPU nodes, ONNX Runtime's CUDA execution
# provider on (SEARCH_MESH_RANKING_EXECUTION_PROVIDER=cuda). The image needs the CUDA provider
# (npm rebuild onnxruntime-node --onnxruntime-node-install=cuda12; see the README's GPU section).
gpu:
  enabled: false
  count: 1
  resourceName: nvidia.com/gpu
  # Image tag for GPU pods (e.g. a build with the CUDA provider); empty: the same image.
  imageTag: ""
  nodeSelector:
    nvidia.com/gpu.present: "true"
  tolerations:
    - key: nvidia.com/gpu
      operator: Exists
      effect: NoSchedule`);
  }
  return out.join('\n') + '\n';
}

function envSegment(name) {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

// ---------- values.schema.json ----------

const str = { type: 'string' };
const bool = { type: 'boolean' };
const int = (min = 0, max) => (max === undefined ? { type: 'integer', minimum: min } : { type: 'integer', minimum: min, maximum: max });
const obj = (properties, required = Object.keys(properties), extra = false) => ({
  type: 'object',
  additionalProperties: extra,
  required,
  properties,
});
const anyObj = { type: 'object' };
const objList = { type: 'array', items: { type: 'object' } };
const strMap = { type: 'object', additionalProperties: { type: 'string' } };
const quantity = { anyOf: [{ type: 'string', pattern: '^[0-9.]+[a-zA-Z]*$' }, { type: 'number', minimum: 0 }] };
const cidr = { type: 'string', pattern: '^[0-9a-fA-F:.]+/[0-9]{1,3}$' };
const portNum = int(1, 65535);
const egressRule = obj({ cidrs: { type: 'array', items: cidr }, ports: { type: 'array', minItems: 1, items: portNum } });
const secretRef = {
  existingSecret: { type: 'string', description: 'Secret with the credentials; empty: none' },
  usernameKey: { type: 'string', minLength: 1 },
  passwordKey: { type: 'string', minLength: 1 },
};

export const GLOBAL_SCHEMA = obj(
  {
    image: obj({ registry: str, tag: { type: ['string', 'number'] } }, []),
    imagePullSecrets: objList,
    namespacePrefix: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,39}$', description: 'SEARCH_MESH_NAMESPACE' },
    elasticsearch: obj({ url: { type: 'string', pattern: '^https?://[^\\s]+$' }, ...secretRef }, ['url']),
    kafka: obj({ brokers: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[^\\s:]+:\\d{1,5}$' } } }),
    cassandra: obj(
      { contactPoints: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[^\\s:]+(:\\d{1,5})?$' } }, localDc: { type: 'string', minLength: 1 }, ...secretRef },
      ['contactPoints', 'localDc'],
    ),
    networkPolicy: obj(
      {
        enabled: bool,
        clients: objList,
        prometheus: objList,
        dns: obj({ to: objList }),
        egress: obj({ elasticsearch: egressRule, kafka: egressRule, cassandra: egressRule, kubeApiServer: egressRule }),
      },
      ['enabled'],
    ),
    monitoring: obj(
      {
        serviceMonitor: obj({ enabled: bool, interval: str, scrapeTimeout: str, labels: strMap }, ['enabled']),
        prometheusRule: obj({ enabled: bool, labels: strMap }, ['enabled']),
      },
      [],
    ),
  },
  [],
  true, // the umbrella chart may pass more globals
);

function schemaFor(name, s) {
  const properties = {
    global: GLOBAL_SCHEMA,
    enabled: { type: 'boolean', description: 'the umbrella chart\'s condition' },
    'search-mesh-common': { type: 'object', description: 'the library chart (no values)' },
    fullnameOverride: str,
    role: { enum: ['service', 'worker'] },
    port: portNum,
    replicaCount: int(0),
    image: obj({ registry: str, repository: str, tag: { type: ['string', 'number'] }, digest: str, pullPolicy: { enum: ['Always', 'IfNotPresent', 'Never'] } }, ['pullPolicy']),
    imagePullSecrets: objList,
    backends: { type: 'array', uniqueItems: true, items: { enum: Object.keys(BACKEND_PORTS) } },
    config: {
      type: 'object',
      description: `SEARCH_MESH_${envSegment(name)}_<NAME> settings`,
      propertyNames: { pattern: '^[A-Z][A-Z0-9_]*$' },
      additionalProperties: { type: ['string', 'number', 'boolean'] },
    },
    extraEnv: objList,
    ...(s.modelRegistry ? { modelRegistry: obj({ existingClaim: str }) } : {}),
    ...(s.adminApi === undefined ? {} : { adminToken: obj({ existingSecret: str, key: { type: 'string', minLength: 1 }, env: { enum: [s.adminTokenEnv ?? 'ADMIN_TOKEN'] } }) }),
    resources: obj({ requests: { type: 'object', additionalProperties: quantity }, limits: { type: 'object', additionalProperties: quantity } }, []),
    nodeMaxOldSpaceMb: int(64),
    tmpSizeLimit: quantity,
    shutdown: obj({ preStopSleepSeconds: int(0, 300), drainDelayMs: int(0, 600000), timeoutMs: int(1, 600000), marginSeconds: int(0, 600), terminationGracePeriodSeconds: int(0) }),
    probes: obj({ startupFailureThreshold: int(1), readinessPeriodSeconds: int(1) }),
    service: obj({ type: { enum: ['ClusterIP', 'NodePort', 'LoadBalancer'] }, annotations: strMap }, ['type']),
    autoscaling: obj({
      enabled: bool,
      minReplicas: int(1),
      maxReplicas: int(1),
      targetCPUUtilizationPercentage: int(1, 100),
      targetMemoryUtilizationPercentage: { type: ['integer', 'null'], minimum: 1, maximum: 100 },
    }, ['enabled', 'minReplicas', 'maxReplicas', 'targetCPUUtilizationPercentage']),
    podDisruptionBudget: obj(
      { enabled: bool, maxUnavailable: { type: ['integer', 'string', 'null'] }, minAvailable: { type: ['integer', 'string', 'null'] } },
      ['enabled'],
    ),
    serviceAccount: obj({ create: bool, name: str, annotations: strMap }, ['create']),
    securityContext: obj({ runAsUser: int(1), runAsGroup: int(1) }),
    networkPolicy: obj({
      allowFrom: obj({ components: { type: 'array', items: str }, clients: bool, extra: objList }, []),
      extraEgress: objList,
    }, []),
    podAnnotations: strMap,
    podLabels: strMap,
    nodeSelector: strMap,
    tolerations: objList,
    affinity: anyObj,
    priorityClassName: str,
    topologySpread: obj({ enabled: bool, topologyKey: str }, ['enabled']),
    slo: obj(
      {
        availability: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
        latencyP99Seconds: { type: 'number', exclusiveMinimum: 0 },
        ...(s.role === 'worker' ? { maxConsumerLag: int(1) } : {}),
      },
      ['availability', 'latencyP99Seconds'],
    ),
    helmTest: obj({ enabled: bool, image: { type: 'string', minLength: 1 }, path: { type: 'string', pattern: '^/' } }),
  };
  if (s.discovery) properties.discovery = obj({ enabled: bool });
  if (s.peers) {
    properties.peers = obj(
      Object.fromEntries(Object.keys(s.peers).map((peer) => [peer, obj({ port: portNum, url: { type: 'string', pattern: '^(https?://[^\\s]+)?$' } }, ['port'])])),
    );
  }
  if (s.gpu) {
    properties.gpu = obj({
      enabled: bool,
      count: int(1, 16),
      resourceName: { type: 'string', minLength: 1 },
      imageTag: { type: ['string', 'number'] },
      nodeSelector: strMap,
      tolerations: objList,
    }, ['enabled', 'count', 'resourceName']);
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: `${name} chart values`,
    ...obj(properties, ['port', 'image', 'backends', 'resources', 'shutdown', 'probes', 'service', 'autoscaling', 'podDisruptionBudget', 'serviceAccount', 'securityContext', 'slo', 'helmTest']),
  };
}

// ---------- the rest of a chart ----------

function chartYaml(name, s) {
  return `# Generated by charts/generate.mjs.
apiVersion: v2
name: ${name}
description: ${JSON.stringify(s.description)}
type: application
version: ${VERSION}
appVersion: "${APP_VERSION}"
keywords: [search, search-mesh]
dependencies:
  - name: search-mesh-common
    version: ${VERSION}
    repository: file://../search-mesh-common
`;
}

const ALL_YAML = `{{- /* Generated by charts/generate.mjs: every object comes from the search-mesh-common library chart. */ -}}
{{ include "search-mesh-common.all" . }}
`;
const NOTES = `{{ include "search-mesh-common.notes" . }}
`;
const TEST_YAML = `{{- /* Generated by charts/generate.mjs. */ -}}
{{ include "search-mesh-common.searchTest" . }}
`;

function files() {
  const out = {};
  for (const [name, s] of Object.entries(SERVICES)) {
    const dir = join(chartsDir, name);
    out[join(dir, 'Chart.yaml')] = chartYaml(name, s);
    out[join(dir, 'values.yaml')] = valuesYaml(name, s);
    out[join(dir, 'values.schema.json')] = JSON.stringify(schemaFor(name, s), null, 2) + '\n';
    out[join(dir, 'templates', 'all.yaml')] = ALL_YAML;
    out[join(dir, 'templates', 'NOTES.txt')] = NOTES;
    if (s.helmTest) out[join(dir, 'templates', 'tests', 'search-test.yaml')] = TEST_YAML;
    out[join(dir, '.helmignore')] = '# Generated by charts/generate.mjs.\n*.tgz.tmp\n.DS_Store\n';
  }
  const umbrella = join(chartsDir, 'search-mesh');
  out[join(umbrella, 'Chart.yaml')] = umbrellaChartYaml();
  out[join(umbrella, 'values.yaml')] = umbrellaValuesYaml();
  out[join(umbrella, 'values.schema.json')] = JSON.stringify(umbrellaSchema(), null, 2) + '\n';
  return out;
}

// ---------- the umbrella chart: charts/search-mesh ----------

function umbrellaChartYaml() {
  return `# Generated by charts/generate.mjs.
apiVersion: v2
name: search-mesh
description: "The whole search mesh with one helm install: the five services, the indexer worker, a Grafana dashboard."
type: application
version: ${VERSION}
appVersion: "${APP_VERSION}"
keywords: [search, search-mesh]
dependencies:
${Object.keys(SERVICES)
  .map((name) => `  - name: ${name}\n    version: ${VERSION}\n    repository: file://../${name}\n    condition: ${name}.enabled`)
  .join('\n')}
`;
}

function umbrellaValuesYaml() {
  return `# The search mesh in one release. Generated by charts/generate.mjs (edit there, then run
# \`node charts/generate.mjs\`). Each service's own values (see charts/<service>/values.yaml) go under its
# name, e.g. ranking.gpu.enabled; what all services share is under global.

${GLOBAL_VALUES}

${Object.keys(SERVICES)
  .map((name) => `${name}:\n  enabled: true`)
  .join('\n')}

grafana:
  dashboard:
    # A ConfigMap with the dashboard JSON, labelled for Grafana's dashboard sidecar.
    enabled: true
    label: grafana_dashboard
    labelValue: "1"
    # Grafana folder (the sidecar's folder annotation); empty: none.
    folder: search-mesh
    # Namespace of the ConfigMap (where the sidecar looks); empty: the release namespace.
    namespace: ""
`;
}

function umbrellaSchema() {
  const properties = { global: GLOBAL_SCHEMA };
  for (const name of Object.keys(SERVICES)) {
    properties[name] = { type: 'object', description: `values of the ${name} chart (validated by its own schema)`, properties: { enabled: bool } };
  }
  properties.grafana = obj({
    dashboard: obj({ enabled: bool, label: { type: 'string', minLength: 1 }, labelValue: str, folder: str, namespace: str }, ['enabled', 'label', 'labelValue']),
  });
  return { $schema: 'http://json-schema.org/draft-07/schema#', title: 'search-mesh umbrella chart values', ...obj(properties, ['global']) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  const stale = [];
  for (const [path, text] of Object.entries(files())) {
    const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    if (current === text) continue;
    if (check) stale.push(path);
    else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      console.log(`wrote ${path}`);
    }
  }
  if (stale.length > 0) {
    console.error(`out of date (run node charts/generate.mjs):\n  ${stale.join('\n  ')}`);
    process.exit(1);
  }
}
