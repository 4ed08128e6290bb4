import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { collectDefaultMetrics, Registry } from 'prom-client';

const ROOT = path.resolve(__dirname, '../..');
/** Series Prometheus makes itself, not a service. */
const FROM_PROMETHEUS = new Set(['up']);
/** On the dashboard ahead of the service that will export it (not on this branch yet). */
const AWAITED: Record<string, string> = { ranking_model_info: 'the ranking service (issue 6)' };

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (entry === 'node_modules' || entry === 'test' || entry === 'bench') return [];
    return statSync(full).isDirectory() ? sources(full) : full.endsWith('.ts') ? [full] : [];
  });
}

/** Every metric name the code registers (prom-client `name: '...'`) and Node's default metrics. */
async function exported(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const file of [...sources(path.join(ROOT, 'libs')), ...sources(path.join(ROOT, 'services'))]) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes('prom-client')) continue;
    for (const m of text.matchAll(/\bname:\s*'([a-z_:][a-z0-9_:]*)'/g)) names.add(m[1]!);
  }
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  for (const metric of await registry.getMetricsAsJSON()) names.add(metric.name);
  return names;
}

it('the Grafana dashboard queries only metrics the services export', async () => {
  const dashboard = JSON.parse(readFileSync(path.join(ROOT, 'charts/search-mesh/dashboards/search-mesh.json'), 'utf8')) as unknown;
  const exprs: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) k === 'expr' && typeof v === 'string' ? exprs.push(v) : walk(v);
  };
  walk(dashboard);
  expect(exprs.length).toBeGreaterThan(10);
  const used = new Set(exprs.flatMap((e) => [...e.matchAll(/\b([a-z_:][a-z0-9_:]*)\s*\{/g)].map((m) => m[1]!.replace(/_(bucket|count|sum)$/, ''))));
  const known = await exported();
  const missing = [...used].filter((name) => !known.has(name) && !FROM_PROMETHEUS.has(name) && !(name in AWAITED));
  expect(missing).toEqual([]);
});
