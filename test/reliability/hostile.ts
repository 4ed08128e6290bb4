/**
 * The bad-input suite: every service of the repo started as a real process (shared infrastructure, a
 * throw-away namespace), then ≥ 10,000 generated hostile requests over every route each service lists at
 * start. Fails (exit 1) on any 5xx, any request left unanswered, any crash, any admin write accepted without
 * the token. Writes test/reliability/results/hostile.json.
 *
 *   eval "$(bash infra/local/env.sh)"; npm run test:hostile [-- --total 10000 --seed 1 --concurrency 8]
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { indexCatalog, testNamespace } from '../../services/orchestrator/test/support/catalog-index';
import { runHostile } from './lib/hostile-run';
import { startWholeMesh } from './lib/mesh';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

async function main(): Promise<void> {
  const total = arg('total', 10_000);
  const catalogSize = 3000;
  const namespace = testNamespace();
  const catalog = await indexCatalog(catalogSize, namespace);
  // A generous search budget: this suite judges how input is handled, not latency (a search without words
  // aggregates the whole catalog, and Elasticsearch on a busy 2-core machine can miss the 150 ms default).
  const mesh = await startWholeMesh({ namespace, adminToken: `hostile-${Math.random().toString(36).slice(2)}`, catalogSize, env: { SEARCH_MESH_ORCHESTRATOR_REQUEST_BUDGET_MS: '2000' } });
  try {
    const result = await runHostile(mesh, { total, seed: arg('seed', 1), concurrency: arg('concurrency', 8), log: (line) => console.log(line) });
    const out = path.join(__dirname, 'results/hostile.json');
    // wallS: the whole command, starting the services included.
    writeFileSync(out, `${JSON.stringify({ ...result, wallS: Math.round(process.uptime()) }, null, 2)}\n`);
    console.log(JSON.stringify({ requests: result.requests, durationS: result.durationS, byStatus: result.byStatus, serverErrors: result.serverErrors, spentDeadline504: result.spentDeadline504, connectionClosed: result.connectionClosed, unanswered: result.unanswered, crashed: result.crashed, unauthenticatedWrites: result.unauthenticatedWrites.length, adminRoutesOpen: result.adminRoutesOpen, adminStateChanged: result.adminStateChanged, passed: result.passed }, null, 2));
    for (const f of result.failures.slice(0, 20)) console.log(`FAIL ${f.service} ${f.kind} ${f.method} ${f.path.slice(0, 120)} → ${f.status} ${f.body.slice(0, 200)}`);
    process.exitCode = result.passed ? 0 : 1;
  } finally {
    await mesh.stop();
    await catalog.drop();
  }
}

void main();
