/**
 * The Helm charts: test/helm/charts.sh lints and renders every chart (default values, the production
 * values file, the GPU and monitoring variants) and validates each manifest against the Kubernetes OpenAPI
 * schemas with kubeconform; this test runs it, then checks what the issue asks of the rendered objects.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

const ROOT = resolve(__dirname, '../..');
const SERVICES = ['orchestrator', 'query-understanding', 'autocomplete', 'facet', 'ranking', 'indexer', 'feature-pipeline'];
const PEERS = { 'query-understanding': 8081, autocomplete: 8082, facet: 8083, ranking: 8084 };

type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> }; [k: string]: any };

// Build helm, kubeconform and the schemas first (cached); only a failed build skips the chart tests.
const build = spawnSync('bash', [join(ROOT, 'test/helm/tools.sh'), 'helm'], { encoding: 'utf8', timeout: 900_000 });
const build2 = build.status === 0 ? spawnSync('bash', [join(ROOT, 'test/helm/tools.sh'), 'kubeconform'], { encoding: 'utf8', timeout: 900_000 }) : build;
const toolsMissing = build.status !== 0 || build2.status !== 0;
if (toolsMissing) {
  // eslint-disable-next-line no-console
  console.warn(`SKIPPED: Helm chart tests: helm/kubeconform could not be built from the Go module proxy:\n${(build2.stderr ?? '').slice(-2000)}`);
}
const describeCharts = toolsMissing ? describe.skip : describe;

describeCharts('Helm charts', () => {
  const out = mkdtempSync(join(tmpdir(), 'search-mesh-helm-'));
  let log = '';
  const rendered: Record<string, K8sObject[]> = {};
  const load = (name: string): K8sObject[] =>
    (rendered[name] ??= parseAllDocuments(readFileSync(join(out, `${name}.yaml`), 'utf8'))
      .map((d) => d.toJS() as K8sObject)
      .filter((d) => d !== null));
  const find = (docs: K8sObject[], kind: string, name?: string) => docs.filter((d) => d.kind === kind && (name === undefined || d.metadata.name === name));

  beforeAll(() => {
    log = execFileSync('bash', [join(ROOT, 'test/helm/charts.sh'), out], { cwd: ROOT, encoding: 'utf8', timeout: 600_000, stdio: ['ignore', 'pipe', 'pipe'] });
  }, 900_000);

  it('lint, template and kubeconform pass for default and production values', () => {
    expect(log).toMatch(/Summary: \d+ resources found in \d+ files - Valid: \d+, Invalid: 0, Errors: 0, Skipped: 0/);
    expect(log).not.toMatch(/chart\(s\) failed[^]*[1-9] chart\(s\) failed/);
    for (const name of ['search-mesh-default', 'search-mesh-production']) expect(load(name).length).toBeGreaterThan(20);
  });

  it.each(['search-mesh-default', 'search-mesh-production'])('%s: every Deployment is probed, non-root, read-only and drains before SIGTERM', (name) => {
    const deployments = find(load(name), 'Deployment');
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(SERVICES.map((s) => `search-mesh-${s}`).sort());
    for (const d of deployments) {
      const pod = d.spec.template.spec;
      const c = pod.containers[0];
      expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
      expect(c.resources.requests.cpu).toBeDefined();
      expect(c.resources.limits.memory).toBeDefined();
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(c.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
      expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
      expect(pod.volumes).toContainEqual(expect.objectContaining({ name: 'tmp', emptyDir: expect.any(Object) }));
      const sleep = Number(c.lifecycle.preStop.exec.command[1]);
      expect(c.lifecycle.preStop.exec.command[0]).toBe('sleep');
      const config = find(load(name), 'ConfigMap', d.metadata.name)[0]!.data as Record<string, string>;
      const seg = d.metadata.name.replace('search-mesh-', '').toUpperCase().replace(/-/g, '_');
      const shutdownMs = Number(config[`SEARCH_MESH_${seg}_SHUTDOWN_TIMEOUT_MS`]) + Number(config[`SEARCH_MESH_${seg}_SHUTDOWN_DRAIN_DELAY_MS`]);
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(sleep + shutdownMs / 1000);
      expect(config[`SEARCH_MESH_${seg}_HOST`]).toBe('0.0.0.0');
      expect(c.envFrom).toEqual([{ configMapRef: { name: d.metadata.name } }]);
    }
  });

  it('gives each service a Service, ServiceAccount, ConfigMap and PDB; HPAs in production', () => {
    for (const name of ['search-mesh-default', 'search-mesh-production']) {
      const docs = load(name);
      for (const s of SERVICES) {
        for (const kind of ['Service', 'ServiceAccount', 'ConfigMap', 'PodDisruptionBudget']) expect(find(docs, kind, `search-mesh-${s}`)).toHaveLength(1);
      }
    }
    const hpas = find(load('search-mesh-production'), 'HorizontalPodAutoscaler');
    expect(hpas).toHaveLength(SERVICES.length);
    expect(find(load('search-mesh-production'), 'Deployment').every((d) => d.spec.replicas === undefined)).toBe(true);
  });

  it('grants RBAC only to the orchestrator: get/list/watch endpointslices in its namespace', () => {
    const docs = load('search-mesh-production');
    expect(find(docs, 'ClusterRole')).toHaveLength(0);
    expect(find(docs, 'ClusterRoleBinding')).toHaveLength(0);
    const roles = find(docs, 'Role');
    expect(roles).toHaveLength(1);
    expect(roles[0]!.metadata.name).toBe('search-mesh-orchestrator-endpointslices');
    expect(roles[0]!.rules).toEqual([{ apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] }]);
    const binding = find(docs, 'RoleBinding')[0]!;
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'search-mesh-orchestrator', namespace: 'search' }]);
    for (const d of find(docs, 'Deployment')) {
      expect(d.spec.template.spec.automountServiceAccountToken).toBe(d.metadata.name === 'search-mesh-orchestrator');
    }
  });

  it('points the orchestrator at its peers\' Services, watched through EndpointSlices', () => {
    const docs = load('search-mesh-default');
    const config = find(docs, 'ConfigMap', 'search-mesh-orchestrator')[0]!.data;
    expect(config.SEARCH_MESH_ORCHESTRATOR_DISCOVERY).toBe('kubernetes');
    for (const [peer, port] of Object.entries(PEERS)) {
      const seg = peer.toUpperCase().replace(/-/g, '_');
      expect(config[`SEARCH_MESH_ORCHESTRATOR_${seg}_URL`]).toBe(`http://search-mesh-${peer}:${port}`);
      const service = find(docs, 'Service', `search-mesh-${peer}`)[0]!;
      expect(service.spec.ports).toEqual([{ name: 'http', port, targetPort: 'http', protocol: 'TCP' }]);
    }
  });

  it('takes admin tokens only from Secrets, shares ranking\'s model registry, and follows the merchandisers\' rules in query understanding', () => {
    const env = (docs: K8sObject[], name: string) => find(docs, 'Deployment', `search-mesh-${name}`)[0]!.spec.template.spec.containers[0].env as Array<{ name: string; valueFrom?: unknown }>;
    const production = load('search-mesh-production');
    expect(env(production, 'query-understanding').find((e) => e.name === 'SEARCH_MESH_QUERY_UNDERSTANDING_ADMIN_TOKEN')?.valueFrom).toEqual({
      secretKeyRef: { name: 'search-mesh-admin-tokens', key: 'query-understanding' },
    });
    expect(env(production, 'autocomplete').some((e) => e.name === 'SEARCH_MESH_AUTOCOMPLETE_ADMIN_TOKEN')).toBe(true);
    expect(env(production, 'facet').find((e) => e.name === 'SEARCH_MESH_FACET_ADMIN_TOKENS')?.valueFrom).toEqual({ secretKeyRef: { name: 'search-mesh-admin-tokens', key: 'facet' } });
    expect(env(production, 'ranking').some((e) => e.name === 'SEARCH_MESH_RANKING_ADMIN_TOKEN')).toBe(true);
    // Ranking's replicas share one model registry volume in production.
    const ranking = find(production, 'Deployment', 'search-mesh-ranking')[0]!.spec.template.spec;
    expect(ranking.volumes).toContainEqual({ name: 'model-registry', persistentVolumeClaim: { claimName: 'search-mesh-ranking-models' } });
    expect(ranking.containers[0].volumeMounts).toContainEqual({ name: 'model-registry', mountPath: '/var/lib/search-mesh/models' });
    expect(find(production, 'ConfigMap', 'search-mesh-ranking')[0]!.data.SEARCH_MESH_RANKING_REGISTRY_DIR).toBe('/var/lib/search-mesh/models');
    const defaults = load('search-mesh-default');
    expect(find(defaults, 'ConfigMap', 'search-mesh-ranking')[0]!.data.SEARCH_MESH_RANKING_REGISTRY_DIR).toBeUndefined();
    expect(env(defaults, 'query-understanding').some((e) => e.name.endsWith('_ADMIN_TOKEN'))).toBe(false);
    for (const docs of [defaults, production]) {
      for (const map of find(docs, 'ConfigMap')) expect(Object.keys(map.data ?? {}).some((k) => k.endsWith('_ADMIN_TOKEN'))).toBe(false);
    }
    expect(find(defaults, 'ConfigMap', 'search-mesh-query-understanding')[0]!.data.SEARCH_MESH_QUERY_UNDERSTANDING_RULES_FROM_KAFKA).toBe('true');
  });

  it('production NetworkPolicies allow only the calls the mesh makes', () => {
    const docs = load('search-mesh-production');
    const policies = Object.fromEntries(find(docs, 'NetworkPolicy').map((p) => [p.metadata.name.replace('search-mesh-', ''), p.spec]));
    expect(Object.keys(policies).sort()).toEqual([...SERVICES].sort());
    const callers = (spec: any) => spec.ingress[0]?.from?.map((f: any) => f.podSelector?.matchLabels?.['app.kubernetes.io/name']) ?? [];
    // The storefront, the helm test, and the facet service (the console's preview of a draft change).
    expect(callers(policies.orchestrator)).toEqual(['search-test', 'facet', 'storefront']);
    for (const peer of Object.keys(PEERS)) expect(callers(policies[peer])[0]).toBe('orchestrator');
    expect(policies.indexer.ingress.every((r: any) => r.from.every((f: any) => f.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'monitoring'))).toBe(true);
    for (const [name, spec] of Object.entries<any>(policies)) {
      expect(spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(spec.egress[0].ports).toEqual([{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }]);
      const peerRules = spec.egress.slice(1).filter((r: any) => r.to?.[0]?.podSelector);
      expect(peerRules.length).toBe(name === 'orchestrator' ? 4 : name === 'facet' ? 1 : 0);
    }
    const egressPorts = (spec: any) => spec.egress.slice(1).flatMap((r: any) => r.ports.map((p: any) => p.port));
    expect(egressPorts(policies.ranking).sort()).toEqual([9042, 9092]);
    expect(egressPorts(policies.indexer).sort()).toEqual([9092, 9200]);
    expect(policies.ranking.egress[1].to).toEqual([{ ipBlock: { cidr: '10.22.0.0/16' } }]);
    expect(policies.facet.egress.slice(1).find((r: any) => r.to?.[0]?.podSelector)).toEqual(expect.objectContaining({ ports: [{ port: 8080, protocol: 'TCP' }] }));
  });

  it('production runs ranking on GPUs with the CUDA execution provider', () => {
    const docs = load('search-mesh-production');
    const pod = find(docs, 'Deployment', 'search-mesh-ranking')[0]!.spec.template.spec;
    expect(pod.containers[0].resources.limits['nvidia.com/gpu']).toBe('1');
    expect(pod.nodeSelector).toEqual({ 'nvidia.com/gpu.present': 'true' });
    expect(pod.tolerations).toContainEqual({ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' });
    expect(find(docs, 'ConfigMap', 'search-mesh-ranking')[0]!.data.SEARCH_MESH_RANKING_EXECUTION_PROVIDER).toBe('cuda');
    // and not by default
    const plain = find(load('search-mesh-default'), 'Deployment', 'search-mesh-ranking')[0]!.spec.template.spec;
    expect(plain.containers[0].resources.limits['nvidia.com/gpu']).toBeUndefined();
    expect(find(load('search-mesh-default'), 'ConfigMap', 'search-mesh-ranking')[0]!.data.SEARCH_MESH_RANKING_EXECUTION_PROVIDER).toBeUndefined();
  });

  it('takes backend credentials only from existing Secrets', () => {
    const docs = load('search-mesh-production');
    const env = (s: string) => find(docs, 'Deployment', `search-mesh-${s}`)[0]!.spec.template.spec.containers[0].env as any[];
    expect(env('orchestrator').find((e) => e.name === 'ES_PASSWORD').valueFrom.secretKeyRef).toEqual({ name: 'search-mesh-elasticsearch', key: 'password' });
    expect(env('ranking').find((e) => e.name === 'CASSANDRA_PASSWORD').valueFrom.secretKeyRef).toEqual({ name: 'search-mesh-cassandra', key: 'password' });
    expect(env('ranking').find((e) => e.name === 'ES_PASSWORD')).toBeUndefined();
    for (const cm of find(docs, 'ConfigMap')) expect(JSON.stringify(cm.data)).not.toMatch(/PASSWORD/);
  });

  it('production monitors every service, with SLO alerts on error rate and p99', () => {
    const docs = load('search-mesh-production');
    expect(find(docs, 'ServiceMonitor')).toHaveLength(SERVICES.length);
    const rules = find(docs, 'PrometheusRule', 'search-mesh-orchestrator')[0]!.spec.groups[0].rules;
    const alerts = rules.filter((r: any) => r.alert).map((r: any) => r.alert);
    expect(alerts).toEqual(['SearchMeshErrorBudgetFastBurn', 'SearchMeshErrorBudgetSlowBurn', 'SearchMeshLatencyP99High']);
    const p99 = rules.find((r: any) => r.alert === 'SearchMeshLatencyP99High').expr;
    expect(p99).toMatch(/histogram_quantile\(0\.99, sum by \(le\) \(rate\(http_server_request_duration_seconds_bucket\{/);
    expect(p99).toMatch(/> 0\.5/);
    expect(rules.some((r: any) => /status_code=~"5\.\."/.test(r.expr ?? ''))).toBe(true);
  });

  it('ships a Grafana dashboard with RED, breakers, peer latency, model versions, feature freshness and indexer lag', () => {
    const cm = find(load('search-mesh-production'), 'ConfigMap', 'search-mesh-grafana-dashboard')[0]!;
    expect(cm.metadata.labels!.grafana_dashboard).toBe('1');
    const dashboard = JSON.parse(cm.data['search-mesh.json']);
    const exprs = dashboard.panels.flatMap((p: any) => (p.targets ?? []).map((t: any) => t.expr)).join('\n');
    for (const metric of [
      'http_server_request_duration_seconds_count',
      'http_server_request_duration_seconds_bucket',
      'mesh_peer_breaker_state',
      'mesh_peer_request_duration_seconds_bucket',
      'mesh_peer_endpoints',
      'ranking_model_info',
      'feature_store_freshness_seconds',
      'indexer_consumer_lag',
    ]) expect(exprs).toContain(metric);
  });

  it('has a helm test hook that runs a real search through the orchestrator', () => {
    const pod = find(load('search-mesh-default'), 'Pod')[0]!;
    expect(pod.metadata.annotations!['helm.sh/hook']).toBe('test');
    expect(pod.spec.containers[0].env).toContainEqual({ name: 'SEARCH_URL', value: 'http://search-mesh-orchestrator:8080/v1/search?q=tv' });
    expect(pod.spec.containers[0].args[0]).toMatch(/\[ "\$code" = 200 \]/);
    expect(pod.spec.containers[0].args[0]).toMatch(/application\/json/);
  });
});
