/**
 * Autocomplete under load, side by side in one run with Elasticsearch's completion suggester on the same
 * suggestions and the same requests:
 *
 * - the prefixes: every prefix of every TEST query, as typed (5,690), cycled by each connection;
 * - autocomplete: the real service as its own process pinned to core 0 (`taskset -c 0`), access log off;
 *   server-side latency from its `autocomplete_suggest_duration_seconds` histogram (fastify's elapsed time,
 *   request received → response sent; buckets 25 µs … 10 ms, interpolated), read before and after each load;
 * - Elasticsearch: a throw-away index `<ns>_suggest_bench` with a `completion` field holding the same
 *   suggestion texts (each also from every later word, as autocomplete matches words inside a suggestion,
 *   weight = its score), queried with `suggest.completion` (size 8, skip_duplicates, fuzzy AUTO); its
 *   server-side latency is the response's `took` (whole milliseconds). For the measured loads every thread
 *   of the Elasticsearch process listening on ES_URL is pinned to core 0 too (`taskset -a -p`, restored at
 *   the end), so both servers have one core; `--es-cores all` leaves it on every core (an advantage to it);
 * - the load from this process, pinned to core 1: first unbounded with autocannon (32 connections) → QPS,
 *   then each fixed rate of `--rates` sent evenly by `openLoop` (@search-mesh/testing; it says why not
 *   autocannon's square-wave `overallRate`) → achieved rate, client-side median/p99 (from each request's due
 *   time; the first 2 s are warm-up) and server-side median/p99. Targets: autocomplete p99 ≤ 2 ms at
 *   ≥ 10,000 QPS; ≥ 5× the suggester's QPS at no worse p99.
 *
 *   eval "$(bash infra/local/env.sh)"; npx tsx services/autocomplete/bench/latency.ts [--seconds 10] [--rates 10000,1000] [--rounds 1]
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { request } from 'undici';
import { loadQueries, normaliseQuery, resolveDataDir, splitQueries } from '@search-mesh/catalog';
import { freePort, histogramQuantiles, noLoadShedding, openLoop, type PacedRequest, processTreeCpuSeconds, quantile, REPO_ROOT, scrapeHistogram, waitForHttp } from '@search-mesh/testing';
import { loadSources } from '../src/adapters/catalog-source';
import { SUGGEST_BUCKETS } from '../src/adapters/metrics';
import { Suggester } from '../src/domain/suggester';
import { words } from '../src/domain/text';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    rates: { type: 'string', default: '10000,1000' },
    rounds: { type: 'string', default: '1' },
    size: { type: 'string', default: '50000' },
    'es-cores': { type: 'string', default: '0' },
  },
});
const seconds = Number(values.seconds);
const rates = (values.rates ?? '').split(',').filter(Boolean).map(Number);
const ES_URL = process.env.ES_URL ?? 'http://127.0.0.1:19200';
const LIMIT = 8;
const SUGGEST_HISTOGRAM = 'autocomplete_suggest_duration_seconds';

type Percentiles = { p50: number; p99: number };
function percentiles(samples: number[]): Percentiles {
  const sorted = Float64Array.from(samples).sort();
  return { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99) };
}
const fmt = (v: number) => (Number.isFinite(v) ? `${v.toFixed(3)} ms` : 'n/a');

interface Target {
  name: string;
  url: string;
  requests: autocannon.Request[];
  /** What the target's answers say of its own time (Elasticsearch's `took`), when the server-side figure needs the body. */
  onBody?: (body: string) => void;
  serverSide: () => Promise<() => Promise<Percentiles>>;
  /** The server's process (its CPU-seconds over the unbounded run), when known. */
  pid: number | undefined;
}

async function load(target: Target, options: { connections: number; rate?: number }) {
  const samples: number[] = [];
  const finishServer = await target.serverSide();
  if (options.rate !== undefined) {
    const paced = await openLoop({
      url: target.url,
      rate: options.rate,
      seconds,
      warmupSeconds: 2,
      connections: options.connections,
      requests: target.requests as PacedRequest[],
      ...(target.onBody ? { onBody: target.onBody } : {}),
    });
    const server = await finishServer();
    const q = (p: number) => quantile(paced.latencies, p);
    return { qps: paced.achievedRate, perCpuSecond: undefined, cpuS: undefined, errors: paced.sent - paced.latencies.length, client: { p50: q(0.5), p99: q(0.99) }, server };
  }
  const cpuBefore = target.pid === undefined ? undefined : processTreeCpuSeconds(target.pid);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url: target.url, connections: options.connections, duration: seconds, ...(options.rate ? { overallRate: options.rate } : {}), requests: target.requests },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on('response', (_c: unknown, _s: number, _b: number, responseTime: number) => samples.push(responseTime));
  });
  // Answers per CPU-second of the server: what one dedicated core sustains, even where the load generator
  // (one core too) is what stops the faster server from going faster still.
  const cpuS = cpuBefore === undefined ? undefined : processTreeCpuSeconds(target.pid!) - cpuBefore;
  const server = await finishServer();
  const answered = result['2xx'];
  const perCpuSecond = cpuS === undefined || cpuS <= 0 ? undefined : answered / cpuS;
  return { qps: answered / result.duration, perCpuSecond, cpuS, errors: result.errors + result.non2xx + result.timeouts, client: percentiles(samples.slice(Math.floor(samples.length * 0.1))), server };
}

/** The pid of the process listening on the port of `url` (from `ss`), or undefined. */
function listenerPid(url: string): number | undefined {
  const out = execFileSync('ss', ['-Htlnp', `sport = :${new URL(url).port}`], { encoding: 'utf8' });
  const m = /pid=(\d+)/.exec(out);
  return m ? Number(m[1]) : undefined;
}

/** Pins every thread of a process to `cores` (a taskset list); returns how to undo it. */
function pinProcess(pid: number, cores: string): () => void {
  execFileSync('taskset', ['-a', '-p', '-c', cores, String(pid)], { stdio: 'ignore' });
  return () => execFileSync('taskset', ['-a', '-p', '-c', `0-${cpus().length - 1}`, String(pid)], { stdio: 'ignore' });
}

function pinSelf(): void {
  if (cpus().length < 2) return console.log('one core: load generator and server share it');
  try {
    execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  } catch {
    console.log('taskset failed: the load generator is not pinned');
  }
}

async function es(method: string, path: string, body?: string): Promise<unknown> {
  const res = await request(`${ES_URL}${path}`, { method: method as 'GET', headers: { 'content-type': method === 'POST' && path.endsWith('_bulk') ? 'application/x-ndjson' : 'application/json' }, ...(body !== undefined ? { body } : {}) });
  const json = await res.body.json();
  if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${JSON.stringify(json).slice(0, 500)}`);
  return json;
}

async function main(): Promise<void> {
  const { test } = splitQueries(loadQueries(resolveDataDir()));
  const prefixes: string[] = [];
  for (const q of test) {
    const typed = normaliseQuery(q.query);
    for (let n = 1; n <= typed.length; n++) if (typed.slice(0, n).trim() !== '') prefixes.push(typed.slice(0, n));
  }

  // The same suggestions for Elasticsearch: the index autocomplete builds at start.
  const index = new Suggester(loadSources({ seed: 42, size: Number(values.size) })).current;
  const esIndex = `bench_${randomBytes(4).toString('hex')}_suggest_bench`;
  await es('PUT', `/${esIndex}`, JSON.stringify({ settings: { number_of_shards: 1, number_of_replicas: 0 }, mappings: { properties: { suggest: { type: 'completion' }, kind: { type: 'keyword' } } } }));
  const top = Math.max(...index.entries.map((e) => e.score));
  const lines: string[] = [];
  for (const entry of index.entries) {
    const ws = words(entry.text);
    const inputs = ws.map((_, i) => ws.slice(i).join(' '));
    lines.push(JSON.stringify({ index: {} }), JSON.stringify({ suggest: { input: inputs, weight: Math.max(1, Math.round((entry.score / top) * 1_000_000)) }, kind: entry.kind }));
  }
  await es('POST', `/${esIndex}/_bulk?refresh=true`, `${lines.join('\n')}\n`);
  console.log(`${index.size} suggestions in both; ${prefixes.length} prefixes of ${test.length} TEST queries; ${seconds} s per load`);

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let unpinElasticsearch: (() => void) | undefined;
  const service = spawn('taskset', ['-c', '0', process.execPath, '--import', 'tsx', 'services/autocomplete/src/server.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      SEARCH_MESH_AUTOCOMPLETE_PORT: String(port),
      // fatal: no log line loads the very core being measured
      SEARCH_MESH_AUTOCOMPLETE_LOG_LEVEL: 'fatal',
      SEARCH_MESH_AUTOCOMPLETE_ACCESS_LOG: 'false',
      SEARCH_MESH_AUTOCOMPLETE_QUERY_LOG_FROM_KAFKA: 'false',
      SEARCH_MESH_AUTOCOMPLETE_BLOCKLIST_FROM_KAFKA: 'false',
      SEARCH_MESH_AUTOCOMPLETE_CATALOG_SIZE: values.size,
      // Capacity is measured: an unbounded load keeps the event loop busy, and load shedding would answer
      // 503s, which autocannon counts as requests too (the bench counts 2xx only, and says how many others).
      ...noLoadShedding('AUTOCOMPLETE'),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    await waitForHttp(`${url}/readyz`, { timeoutMs: 120_000 });
    await new Promise((r) => setTimeout(r, 2000));
    pinSelf();
    const ours: Target = {
      name: 'autocomplete',
      url,
      requests: prefixes.map((p) => ({ method: 'GET', path: `/v1/suggest?q=${encodeURIComponent(p)}&size=${LIMIT}` })),
      serverSide: async () => {
        const before = await scrapeHistogram(url, SUGGEST_HISTOGRAM, SUGGEST_BUCKETS);
        return async () => {
          const [p50, p99] = histogramQuantiles(SUGGEST_BUCKETS, before, await scrapeHistogram(url, SUGGEST_HISTOGRAM, SUGGEST_BUCKETS), [0.5, 0.99]);
          return { p50: p50!, p99: p99! };
        };
      },
      pid: service.pid,
    };
    const tooks: number[] = [];
    const took = (body: string) => {
      const m = /"took":(\d+)/.exec(body);
      if (m) tooks.push(Number(m[1]));
    };
    const theirs: Target = {
      name: 'es-completion',
      url: ES_URL,
      requests: prefixes.map((p) => ({
        method: 'POST',
        path: `/${esIndex}/_search`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ size: 0, _source: false, suggest: { s: { prefix: p, completion: { field: 'suggest', size: LIMIT, skip_duplicates: true, fuzzy: { fuzziness: 'AUTO' } } } } }),
        onResponse: (_status: number, body: string) => took(body),
      })),
      onBody: (body) => took(body),
      serverSide: async () => {
        tooks.length = 0;
        return async () => percentiles(tooks.slice(Math.floor(tooks.length * 0.1)));
      },
      pid: listenerPid(ES_URL),
    };
    // Warm both up (JIT, caches), then measure, alternating the order each round.
    for (const t of [ours, theirs]) await load(t, { connections: 8 });
    const esPid = values['es-cores'] === 'all' ? undefined : theirs.pid;
    if (esPid !== undefined) {
      unpinElasticsearch = pinProcess(esPid, values['es-cores']!);
      console.log(`Elasticsearch (pid ${esPid}) pinned to core ${values['es-cores']}, as autocomplete is`);
    } else console.log('Elasticsearch not pinned: it may use every core');
    const table: string[] = [];
    const unbounded: Record<string, number[]> = {};
    const perCpu: Record<string, number[]> = {};
    for (let round = 0; round < Number(values.rounds); round++) {
      for (const t of round % 2 === 0 ? [ours, theirs] : [theirs, ours]) {
        const r = await load(t, { connections: 32 });
        (unbounded[t.name] ??= []).push(r.qps);
        if (r.perCpuSecond !== undefined) (perCpu[t.name] ??= []).push(r.perCpuSecond);
        const cpu = r.cpuS === undefined ? '' : ` (${r.cpuS.toFixed(1)} CPU-s: ${Math.round(r.perCpuSecond ?? 0)} per CPU-second)`;
        table.push(`${t.name.padEnd(14)} unbounded (32 conns): ${Math.round(r.qps)} req/s${cpu}; client median ${fmt(r.client.p50)} p99 ${fmt(r.client.p99)}; server median ${fmt(r.server.p50)} p99 ${fmt(r.server.p99)}; errors ${r.errors}`);
        console.log(table[table.length - 1]);
      }
      for (const rate of rates) {
        for (const t of round % 2 === 0 ? [ours, theirs] : [theirs, ours]) {
          const r = await load(t, { connections: 32, rate });
          table.push(`${t.name.padEnd(14)} at ${rate} req/s: achieved ${Math.round(r.qps)} req/s; client median ${fmt(r.client.p50)} p99 ${fmt(r.client.p99)}; server median ${fmt(r.server.p50)} p99 ${fmt(r.server.p99)}; errors ${r.errors}`);
          console.log(table[table.length - 1]);
        }
      }
    }
    // Medians over rounds. Per CPU-second is the fair one-core figure: autocannon, on the other core, is
    // near its own limit at autocomplete's rate and not at the suggester's.
    const mid = (xs: number[] | undefined) => (xs === undefined || xs.length === 0 ? 0 : [...xs].sort((a, b) => a - b)[xs.length >> 1]!);
    const where = values['es-cores'] === 'all' ? 'every core' : `core ${values['es-cores']}`;
    const wall = mid(unbounded['autocomplete']) / Math.max(1, mid(unbounded['es-completion']));
    const cpuRatio = mid(perCpu['autocomplete']) / Math.max(1, mid(perCpu['es-completion']));
    console.log(`throughput autocomplete / completion suggester (unbounded, median of ${values.rounds} rounds; Elasticsearch on ${where}): ${wall.toFixed(1)}× wall clock, ${cpuRatio.toFixed(1)}× per CPU-second (${Math.round(mid(perCpu['autocomplete']))} vs ${Math.round(mid(perCpu['es-completion']))} answers per CPU-second; target ≥ 5×)`);
  } finally {
    unpinElasticsearch?.();
    service.kill('SIGTERM');
    await new Promise((r) => service.once('exit', r));
    await es('DELETE', `/${esIndex}`).catch(() => undefined);
  }
}

void main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
