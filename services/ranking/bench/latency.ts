/**
 * `npm run bench:ranking`: the ranking service and the same ONNX model served by LitServe (Python), each
 * pinned to one core (taskset -c 0), under the same load from this process (pinned to core 1): requests of
 * 200 candidates, (1) closed loop with `--connections` requests in flight: throughput (candidates scored
 * per second), median and p99; (2) open loop at `--rate` requests/s sent evenly: median and p99 from each request's due time. Rounds alternate the
 * two servers. The ranking service builds the features from the rank request, given in each of its three
 * forms (named features, compact `values`, packed float32 as the orchestrator sends; feature store and
 * feature log off: they are I/O, not scoring); LitServe gets the finished matrix.
 *   taskset -c 1 npx tsx services/ranking/bench/latency.ts [--seconds 10] [--connections 4] [--rate 200] [--rounds 2]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { packValues, RANK_DOCUMENT_FEATURES, RANK_MATCH_FEATURES, type RankRequest } from '@search-mesh/contracts';
import { freePort, histogramQuantiles, noLoadShedding, openLoop, processTreeCpuSeconds, processTreePids, quantile, REPO_ROOT, scrapeHistogram, waitForHttp } from '@search-mesh/testing';
import { BUILTIN_MODEL_DIR } from '../src/config';
import { featureMatrix, FEATURE_COUNT } from '../src/domain/features';
import type { ModelManifest } from '../src/domain/manifest';
import { RANK_BUCKETS } from '../src/adapters/metrics';

const CANDIDATES = 200;
const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '4' }, rate: { type: 'string', default: '200' }, rounds: { type: 'string', default: '2' } },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const rate = Number(values.rate);
const rounds = Number(values.rounds);

const manifest = JSON.parse(readFileSync(join(BUILTIN_MODEL_DIR, 'manifest.json'), 'utf8')) as ModelManifest;
const requestNames = new Set<string>([...RANK_DOCUMENT_FEATURES, ...RANK_MATCH_FEATURES]);

/** Rank requests of 200 candidates from the golden rows, each candidate a little different. */
function rankRequests(count: number): RankRequest[] {
  const names = manifest.features.map((f) => f.name);
  return Array.from({ length: count }, (_, r) => ({
    query: 'samsung 65 inch tv',
    categories: [],
    explain: false,
    candidates: Array.from({ length: CANDIDATES }, (_, i) => {
      const row = manifest.golden.inputs[(i + r) % manifest.golden.inputs.length]!;
      const features: Record<string, number> = {};
      names.forEach((name, k) => requestNames.has(name) && (features[name] = row[k]! * (1 + ((i * 7 + r) % 13) / 100)));
      features.retrieval_rank = i;
      return { id: `p${r}-${i}`, retrievalScore: row[0]! * (1 - i / 400), features };
    }),
  }));
}

function pinned(core: number, command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn('taskset', ['-c', String(core), command, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
}

interface Result {
  requests: number;
  failed: number;
  seconds: number;
  latencies: number[];
}


async function once(pool: Pool, path: string, body: string, result: Result): Promise<void> {
  const started = process.hrtime.bigint();
  try {
    const res = await pool.request({ method: 'POST', path, headers: { 'content-type': 'application/json' }, body });
    await res.body.text();
    if (res.statusCode !== 200) result.failed++;
    else result.latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
  } catch {
    result.failed++;
  }
  result.requests++;
}

async function closedLoop(url: string, path: string, bodies: string[]): Promise<Result> {
  const pool = new Pool(url, { connections, pipelining: 1 });
  const result: Result = { requests: 0, failed: 0, seconds, latencies: [] };
  const end = Date.now() + seconds * 1000;
  let next = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < end) await once(pool, path, bodies[next++ % bodies.length]!, result);
    }),
  );
  await pool.close();
  return result;
}

/** `rate` requests/s sent evenly (latency from each request's due time; see @search-mesh/testing openLoop). */
async function openLoopAt(url: string, path: string, bodies: string[]): Promise<Result> {
  const r = await openLoop({ url, rate, seconds, connections: 64, requests: bodies.map((body) => ({ method: 'POST', path, headers: { 'content-type': 'application/json' }, body })) });
  return { requests: r.sent, failed: r.sent - r.latencies.length, seconds, latencies: Array.from(r.latencies) };
}

function describe(r: Result, cpu = r.seconds) {
  const sorted = [...r.latencies].sort((a, b) => a - b);
  return {
    rps: r.latencies.length / r.seconds,
    candidatesPerSecond: (r.latencies.length * CANDIDATES) / r.seconds,
    candidatesPerCpuSecond: (r.latencies.length * CANDIDATES) / cpu,
    cpu,
    median: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    failed: r.failed,
  };
}

async function main() {
  const cache = process.env.SEARCH_MESH_CACHE_DIR ?? join(homedir(), '.cache', 'search-mesh');
  const python = join(cache, 'ranking-bench-venv', 'bin', 'python');
  if (!existsSync(python)) {
    console.log(`creating the LitServe venv in ${join(cache, 'ranking-bench-venv')}`);
    await new Promise<void>((resolve, reject) =>
      spawn('bash', ['-c', `python3 -m venv "${join(cache, 'ranking-bench-venv')}" && "${python}" -m pip install --quiet --disable-pip-version-check -r services/ranking/bench/requirements.txt`], { cwd: REPO_ROOT, stdio: 'inherit' }).on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`pip failed (${code})`)))),
    );
  }
  const requests = rankRequests(16);
  const rankBodies = requests.map((r) => JSON.stringify(r));
  // The same requests in the compact form: names once, numbers per candidate.
  const names = [...RANK_DOCUMENT_FEATURES, ...RANK_MATCH_FEATURES];
  const compactBodies = requests.map((r) =>
    JSON.stringify({ ...r, featureNames: names, candidates: r.candidates.map((c) => ({ id: c.id, retrievalScore: c.retrievalScore, values: names.map((n) => c.features?.[n] ?? 0) })) }),
  );
  // And in the packed form the orchestrator sends: names once, every candidate's numbers as one float32 matrix.
  const packedBodies = requests.map((r) =>
    JSON.stringify({
      ...r,
      featureNames: names,
      packedValues: packValues(Float32Array.from(r.candidates.flatMap((c) => names.map((n) => c.features?.[n] ?? 0)))),
      candidates: r.candidates.map((c) => ({ id: c.id, retrievalScore: c.retrievalScore })),
    }),
  );
  // LitServe gets the matrix the ranking service would build from the same request.
  const matrixBodies = requests.map((r) => {
    const m = featureMatrix(r, () => undefined);
    return JSON.stringify({ features: Array.from({ length: CANDIDATES }, (_, i) => Array.from(m.subarray(i * FEATURE_COUNT, (i + 1) * FEATURE_COUNT))) });
  });

  const rankPort = await freePort();
  const litPort = await freePort();
  const ranking = pinned(0, process.execPath, ['--import', 'tsx', 'services/ranking/src/server.ts'], {
    SEARCH_MESH_RANKING_PORT: String(rankPort),
    SEARCH_MESH_RANKING_LOG_LEVEL: 'warn',
    SEARCH_MESH_RANKING_ACCESS_LOG: 'false',
    SEARCH_MESH_RANKING_FEATURE_STORE: 'false',
    SEARCH_MESH_RANKING_FEATURE_LOG: 'false',
    SEARCH_MESH_RANKING_INTRA_OP_THREADS: '1',
    SEARCH_MESH_RANKING_REGISTRY_DIR: mkdtempSync(join(tmpdir(), 'ranking-bench-')),
    ...noLoadShedding('RANKING'),
  });
  const litserve = pinned(0, python, ['services/ranking/bench/litserve_server.py', '--model', join(BUILTIN_MODEL_DIR, 'model.onnx'), '--port', String(litPort)], {});
  try {
    await waitForHttp(`http://127.0.0.1:${rankPort}/readyz`, { timeoutMs: 180_000 });
    await waitForHttp(`http://127.0.0.1:${litPort}/health`, { timeoutMs: 180_000 });
    const targets = [
      { name: 'ranking, named features', url: `http://127.0.0.1:${rankPort}`, path: '/v1/rank', bodies: rankBodies, pid: ranking.pid!, serverSide: true },
      { name: 'ranking, compact', url: `http://127.0.0.1:${rankPort}`, path: '/v1/rank', bodies: compactBodies, pid: ranking.pid!, serverSide: true },
      { name: 'ranking, packed (as the orchestrator)', url: `http://127.0.0.1:${rankPort}`, path: '/v1/rank', bodies: packedBodies, pid: ranking.pid!, serverSide: true },
      { name: 'LitServe (Python, onnxruntime)', url: `http://127.0.0.1:${litPort}`, path: '/predict', bodies: matrixBodies, pid: litserve.pid!, serverSide: false },
    ];
    // Warm-up: JIT, sessions, connections.
    for (const t of targets) {
      const pool = new Pool(t.url, { connections: 1 });
      for (let i = 0; i < 200; i++) await once(pool, t.path, t.bodies[i % t.bodies.length]!, { requests: 0, failed: 0, seconds: 1, latencies: [] });
      await pool.close();
    }
    console.log(`model ${manifest.version}; ${CANDIDATES} candidates a request; servers on core 0, load from core 1; ${seconds} s per run`);
    const rows: Array<{ round: number; name: string; closed: ReturnType<typeof describe>; open: ReturnType<typeof describe>; server: { median: number; p99: number } }> = [];
    for (let round = 1; round <= rounds; round++) {
      for (const t of round % 2 === 1 ? targets : [...targets].reverse()) {
        const cpuBefore = processTreeCpuSeconds(t.pid);
        const loop = await closedLoop(t.url, t.path, t.bodies);
        const closed = describe(loop, processTreeCpuSeconds(t.pid) - cpuBefore);
        // Server-side too (ranking's own histogram: request received → response sent), which leaves out the
        // load generator and the loopback: on this shared VM most of the client-side tail is stalls of the
        // whole machine, which its /healthz floor shows as well.
        const before = t.serverSide ? await scrapeHistogram(t.url, 'ranking_rank_duration_seconds', RANK_BUCKETS) : undefined;
        const open = describe(await openLoopAt(t.url, t.path, t.bodies));
        const [serverMedian, serverP99] = before ? histogramQuantiles(RANK_BUCKETS, before, await scrapeHistogram(t.url, 'ranking_rank_duration_seconds', RANK_BUCKETS), [0.5, 0.99]) : [NaN, NaN];
        const server = { median: serverMedian!, p99: serverP99! };
        rows.push({ round, name: t.name, closed, open, server });
        console.log(
          `round ${round} ${t.name.padEnd(40)} closed loop (${connections} in flight): ${closed.rps.toFixed(0)} req/s = ${closed.candidatesPerSecond.toFixed(0)} candidates/s (${closed.candidatesPerCpuSecond.toFixed(0)} per CPU-second, ${closed.cpu.toFixed(1)} CPU-s), median ${closed.median.toFixed(2)} ms, p99 ${closed.p99.toFixed(2)} ms, failed ${closed.failed} | ${rate} req/s offered: median ${open.median.toFixed(2)} ms, p99 ${open.p99.toFixed(2)} ms, failed ${open.failed}${t.serverSide ? `; server-side median ${server.median.toFixed(2)} ms, p99 ${server.p99.toFixed(2)} ms` : ''}`,
        );
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const of = (name: string, pick: (r: (typeof rows)[number]) => number) => median(rows.filter((r) => r.name === name).map(pick));
    const py = targets[targets.length - 1]!.name;
    const pyRate = of(py, (r) => r.closed.candidatesPerSecond);
    const pyCpu = of(py, (r) => r.closed.candidatesPerCpuSecond);
    console.log(`\nmedians over rounds (LitServe: ${pyRate.toFixed(0)} candidates/s wall clock, ${pyCpu.toFixed(0)} per CPU-second, closed-loop p99 ${of(py, (r) => r.closed.p99).toFixed(2)} ms; at ${rate} req/s median ${of(py, (r) => r.open.median).toFixed(2)} ms, p99 ${of(py, (r) => r.open.p99).toFixed(2)} ms):`);
    for (const ts of targets.slice(0, -1).map((t) => t.name)) {
      const tsRate = of(ts, (r) => r.closed.candidatesPerSecond);
      const tsCpu = of(ts, (r) => r.closed.candidatesPerCpuSecond);
      console.log(`  ${ts}: ${tsRate.toFixed(0)} candidates/s wall clock (${(tsRate / pyRate).toFixed(2)}× LitServe), ${tsCpu.toFixed(0)} per CPU-second (${(tsCpu / pyCpu).toFixed(2)}×, target ≥ 2×); closed-loop p99 ${of(ts, (r) => r.closed.p99).toFixed(2)} ms; at ${rate} req/s median ${of(ts, (r) => r.open.median).toFixed(2)} ms, p99 ${of(ts, (r) => r.open.p99).toFixed(2)} ms (target ≤ 3 ms), server-side median ${of(ts, (r) => r.server.median).toFixed(2)} ms, p99 ${of(ts, (r) => r.server.p99).toFixed(2)} ms`);
    }
  } finally {
    // LitServe's workers outlive a SIGTERM to its main process: end the whole trees.
    for (const root of [ranking.pid!, litserve.pid!]) {
      for (const pid of processTreePids(root)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
