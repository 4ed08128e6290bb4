/**
 * Latency and throughput of query understanding, printed side by side in one run:
 *   1. in-process: `engine.understand` on the test queries, one at a time (median, p99, p99.9);
 *   2. over HTTP: the real service as its own process pinned to one core (taskset -c 0), autocannon in
 *      this process (on the other core): first unbounded load → the QPS one core sustains, then a
 *      sustained fixed rate (default 5,000 req/s) → median and p99 per request (measured by autocannon's
 *      own hrtime per response, in fractional milliseconds).
 * Targets: HTTP p99 ≤ 2 ms at ≥ 5,000 QPS; in-process p99 ≤ 0.3 ms. The machine is shared: compare
 * figures of one run, and run it more than once.
 * Usage: npx tsx services/query-understanding/bench/latency.ts [--rate 5000] [--seconds 15] [--access-log]
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { loadQueries, resolveDataDir, splitQueries } from '@search-mesh/catalog';
import { freePort, REPO_ROOT, waitForHttp } from '@search-mesh/testing';
import { createEngine } from '../src/engine';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

function percentiles(samples: number[]): { p50: number; p99: number; p999: number } {
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99), p999: at(0.999) };
}
const ms = (v: number) => `${v.toFixed(3)} ms`;

async function inProcess(queries: string[]): Promise<void> {
  const engine = await createEngine();
  for (let i = 0; i < 3000; i++) await engine.understand(queries[i % queries.length]!);
  const samples: number[] = [];
  const prepareSamples: number[] = [];
  for (let i = 0; i < 30_000; i++) {
    const q = queries[i % queries.length]!;
    const t0 = process.hrtime.bigint();
    await engine.understand(q);
    const t1 = process.hrtime.bigint();
    engine.pipeline.prepare(q);
    const t2 = process.hrtime.bigint();
    samples.push(Number(t1 - t0) / 1e6);
    prepareSamples.push(Number(t2 - t1) / 1e6);
  }
  const all = percentiles(samples);
  const prep = percentiles(prepareSamples);
  console.log(`in-process understand (${samples.length} calls): median ${ms(all.p50)}, p99 ${ms(all.p99)}, p99.9 ${ms(all.p999)} (target p99 ≤ 0.3 ms)`);
  console.log(`  of which the pure steps (no model): median ${ms(prep.p50)}, p99 ${ms(prep.p99)}`);
  await engine.close();
}

async function load(url: string, bodies: string[], options: { seconds: number; connections: number; rate?: number }) {
  const samples: number[] = [];
  let finish: (result: autocannon.Result) => void = () => undefined;
  const done = new Promise<autocannon.Result>((resolve) => (finish = resolve));
  const instance = autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    ...(options.rate ? { overallRate: options.rate } : {}),
    requests: bodies.map((body) => ({ method: 'POST', path: '/v1/understand', headers: { 'content-type': 'application/json' }, body })),
  }, (err, result) => {
    if (err) throw err;
    finish(result);
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => samples.push(responseTime));
  const result = await done;
  return { result, latency: percentiles(samples.slice(Math.floor(samples.length * 0.1))) };
}

async function overHttp(queries: string[], rate: number, seconds: number, accessLog: boolean): Promise<void> {
  const port = await freePort();
  const server = spawn('taskset', ['-c', '0', process.execPath, '--import', 'tsx', join(REPO_ROOT, 'services/query-understanding/src/server.ts')], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      SEARCH_MESH_QUERY_UNDERSTANDING_PORT: String(port),
      SEARCH_MESH_QUERY_UNDERSTANDING_LOG_LEVEL: 'warn',
      SEARCH_MESH_QUERY_UNDERSTANDING_ACCESS_LOG: String(accessLog),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    const url = `http://127.0.0.1:${port}`;
    await waitForHttp(`${url}/readyz`, { timeoutMs: 60_000 });
    const bodies = queries.map((query) => JSON.stringify({ query }));
    await load(url, bodies, { seconds: 3, connections: 8 }); // warm-up
    const max = await load(url, bodies, { seconds, connections: 32 });
    console.log(
      `HTTP, unbounded load (32 connections, ${seconds} s, server on one core, access log ${accessLog ? 'on' : 'off'}): ` +
        `${Math.round(max.result.requests.average)} req/s, median ${ms(max.latency.p50)}, p99 ${ms(max.latency.p99)}, ` +
        `errors ${max.result.errors + max.result.non2xx}`,
    );
    const fixed = await load(url, bodies, { seconds, connections: 16, rate });
    console.log(
      `HTTP, sustained ${rate} req/s (16 connections, ${seconds} s): achieved ${Math.round(fixed.result.requests.average)} req/s, ` +
        `median ${ms(fixed.latency.p50)}, p99 ${ms(fixed.latency.p99)}, p99.9 ${ms(fixed.latency.p999)}, errors ${fixed.result.errors + fixed.result.non2xx} ` +
        `(target p99 ≤ 2 ms at ≥ 5,000 req/s)`,
    );
  } finally {
    server.kill('SIGTERM');
  }
}

async function main(): Promise<void> {
  const queries = splitQueries(loadQueries(resolveDataDir())).test.map((q) => q.query);
  const seconds = Number(arg('seconds', '15'));
  await inProcess(queries);
  await overHttp(queries, Number(arg('rate', '5000')), seconds, process.argv.includes('--access-log'));
}

void main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
