/**
 * Latency and throughput of query understanding, printed side by side in one run, per variant:
 * `typescript` (the default runtime: the category model in TypeScript/WebAssembly, synchronous),
 * `onnxruntime` (onnxruntime-node, the reference runtime) and, with `--before DIR`, the service of an older
 * checkout (DIR = its services/query-understanding, e.g. extracted with `git archive`).
 *   1. in-process: `engine.understand` on the test queries, one at a time, 30,000 calls after 5,000 of
 *      warm-up, each variant in a process of its own pinned to core 1, alternating (median, p99, p99.9);
 *   2. over HTTP: the real service as its own process pinned to core 0 (taskset -c 0), the load generator in
 *      this process pinned to core 1: first unbounded load with autocannon (32 connections) → the QPS one
 *      core sustains; then a sustained fixed rate (default 5,000 req/s) sent evenly by `openLoop`
 *      (@search-mesh/testing; it says why not autocannon's square-wave `overallRate`) → median, p99 and
 *      p99.9 from each request's due time (the first 2 s are warm-up), and the server's CPU time per
 *      request (from /proc). Throughput counts 2xx answers only: past its capacity the service sheds with
 *      503 (event-loop utilisation ≥ 0.98), which would otherwise read as throughput. Variants alternate,
 *      `--rounds` times; `--floor` adds GET /healthz on the same harness (no plan, no body).
 * Targets: HTTP p99 ≤ 2 ms at ≥ 5,000 QPS; in-process p99 ≤ 0.3 ms. The machine is shared: compare
 * figures of one run, and run it more than once.
 * Usage: npx tsx services/query-understanding/bench/latency.ts [--rate 5000] [--seconds 15] [--rounds 2]
 *        [--variants typescript,onnxruntime] [--before DIR] [--semi-space 64]
 *        [--floor] (GET /healthz too: the harness's own floor) [--uncached] (the plan cache off too)
 *        [--access-log] [--skip-http] [--skip-in-process]
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { loadQueries, resolveDataDir, splitQueries } from '@search-mesh/catalog';
import { freePort, openLoop, processTreeCpuSeconds, quantile, REPO_ROOT, waitForHttp } from '@search-mesh/testing';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

function percentiles(samples: number[]): { p50: number; p99: number; p999: number } {
  const sorted = Float64Array.from(samples).sort();
  return { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), p999: quantile(sorted, 0.999) };
}
const ms = (v: number) => `${v.toFixed(3)} ms`;

interface Variant {
  name: string;
  /** services/query-understanding of the code to run. */
  dir: string;
  env: Record<string, string>;
  runtime?: 'typescript' | 'onnxruntime';
  nodeFlags?: string[];
  /** Load GET /healthz instead of plans: the floor of this harness on this machine (HTTP only). */
  floor?: boolean;
}

/**
 * In-process latency of one variant, in a child process of its own pinned to core 1 (engines of several
 * variants in one heap disturb each other's GC), printing its samples' percentiles as JSON.
 */
async function inProcessChild(dir: string, runtime: string): Promise<void> {
  const { createEngine } = (await import(join(dir, 'src', 'engine'))) as typeof import('../src/engine');
  const engine = await createEngine(runtime !== '-' ? { runtime: runtime as 'typescript' } : {});
  const queries = splitQueries(loadQueries(resolveDataDir())).test.map((q) => q.query);
  for (let i = 0; i < 5000; i++) await engine.understand(queries[i % queries.length]!);
  const samples: number[] = [];
  const pure: number[] = [];
  for (let i = 0; i < 30_000; i++) {
    const q = queries[i % queries.length]!;
    const t0 = process.hrtime.bigint();
    await engine.understand(q);
    const t1 = process.hrtime.bigint();
    engine.pipeline.prepare(q);
    samples.push(Number(t1 - t0) / 1e6);
    pure.push(Number(process.hrtime.bigint() - t1) / 1e6);
  }
  process.stdout.write(JSON.stringify({ all: percentiles(samples), pure: percentiles(pure) }));
  await engine.close();
}

async function inProcess(variants: Variant[], rounds: number): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    for (const variant of round % 2 === 0 ? variants : [...variants].reverse()) {
      const out = execFileSync('taskset', ['-c', '1', process.execPath, ...(variant.nodeFlags ?? []), '--import', 'tsx', __filename, '--in-process-child', variant.dir, variant.runtime ?? '-'], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      });
      const { all, pure } = JSON.parse(out.slice(out.indexOf('{'))) as Record<'all' | 'pure', ReturnType<typeof percentiles>>;
      console.log(
        `in-process understand, ${variant.name.padEnd(12)} (30000 calls, own process on core 1): median ${ms(all.p50)}, p99 ${ms(all.p99)}, p99.9 ${ms(all.p999)} ` +
          `(target p99 ≤ 0.3 ms); pure steps alone: median ${ms(pure.p50)}, p99 ${ms(pure.p99)}`,
      );
    }
  }
}

async function load(url: string, bodies: string[], options: { seconds: number; connections: number; rate?: number; floor?: boolean }) {
  const samples: number[] = [];
  let finish: (result: autocannon.Result) => void = () => undefined;
  const done = new Promise<autocannon.Result>((resolve) => (finish = resolve));
  const instance = autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    ...(options.rate ? { overallRate: options.rate } : {}),
    requests: options.floor
      ? [{ method: 'GET', path: '/healthz' }]
      : bodies.map((body) => ({ method: 'POST', path: '/v1/understand', headers: { 'content-type': 'application/json' }, body })),
  }, (err, result) => {
    if (err) throw err;
    finish(result);
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => samples.push(responseTime));
  const result = await done;
  return { result, latency: percentiles(samples.slice(Math.floor(samples.length * 0.1))) };
}

async function overHttp(queries: string[], variant: Variant, rate: number, seconds: number, accessLog: boolean): Promise<void> {
  const port = await freePort();
  const server = spawn('taskset', ['-c', '0', process.execPath, ...(variant.nodeFlags ?? []), '--import', 'tsx', join(variant.dir, 'src/server.ts')], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      ...variant.env,
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
    let cpu = processTreeCpuSeconds(server.pid!);
    const floor = variant.floor === true;
    const max = await load(url, bodies, { seconds, connections: 32, floor });
    const maxCpu = ((processTreeCpuSeconds(server.pid!) - cpu) / max.result.requests.total) * 1e6;
    console.log(
      `HTTP ${variant.name.padEnd(12)} unbounded (32 connections, ${seconds} s, server on one core, access log ${accessLog ? 'on' : 'off'}): ` +
        `${Math.round((max.result.requests.total - max.result.non2xx) / seconds)} req/s answered 2xx, median ${ms(max.latency.p50)}, p99 ${ms(max.latency.p99)}, ` +
        `errors ${max.result.errors}, non-2xx ${max.result.non2xx} (503: load shedding), ` +
        `server CPU ${maxCpu.toFixed(0)} µs/request`,
    );
    // Let the event-loop utilisation the unbounded run left behind decay: under-pressure would shed the
    // first second of the next run otherwise.
    await new Promise((r) => setTimeout(r, 3000));
    cpu = processTreeCpuSeconds(server.pid!);
    const fixed = await openLoop({
      url,
      rate,
      seconds,
      warmupSeconds: 2,
      requests: floor ? [{ method: 'GET', path: '/healthz' }] : bodies.map((body) => ({ method: 'POST', path: '/v1/understand', headers: { 'content-type': 'application/json' }, body })),
    });
    const fixedCpu = processTreeCpuSeconds(server.pid!) - cpu;
    const failed = fixed.sent - fixed.latencies.length;
    console.log(
      `HTTP ${variant.name.padEnd(12)} sustained ${rate} req/s (sent evenly, ${seconds} s after 2 s of warm-up): achieved ${Math.round(fixed.achievedRate)} req/s, ` +
        `median ${ms(quantile(fixed.latencies, 0.5))}, p99 ${ms(quantile(fixed.latencies, 0.99))}, p99.9 ${ms(quantile(fixed.latencies, 0.999))}, not 2xx ${failed} ${JSON.stringify(fixed.statuses)}, ` +
        `server CPU ${((fixedCpu / (fixed.sent * (1 + 2 / seconds))) * 1e6).toFixed(0)} µs/request (${Math.round((100 * fixedCpu) / (seconds + 2))}% of its core) ` +
        `(target p99 ≤ 2 ms at ≥ 5,000 req/s: ${quantile(fixed.latencies, 0.99) <= 2 && fixed.achievedRate >= 0.99 * Math.max(rate, 5000) ? 'met' : 'missed'})`,
    );
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
}

/** Pins this process (every thread: autocannon's sockets, the GC) to core 1, away from the server's core 0. */
function pinLoadGenerator(): void {
  if (cpus().length < 2) return console.log('one core: load generator and server share it');
  try {
    execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
    console.log('server pinned to core 0, this process (autocannon) to core 1');
  } catch {
    console.log('taskset failed: the load generator is not pinned');
  }
}

async function main(): Promise<void> {
  const queries = splitQueries(loadQueries(resolveDataDir())).test.map((q) => q.query);
  const seconds = Number(arg('seconds', '15'));
  const rounds = Number(arg('rounds', '2'));
  const here = resolve(__dirname, '..');
  const variants: Variant[] = arg('variants', 'typescript,onnxruntime')
    .split(',')
    .filter(Boolean)
    .map((runtime) => ({ name: runtime, dir: here, runtime: runtime as Variant['runtime'], env: { SEARCH_MESH_QUERY_UNDERSTANDING_CLASSIFIER_RUNTIME: runtime } }));
  const before = arg('before', '');
  if (before !== '') variants.push({ name: 'before', dir: resolve(before), env: {} });
  // The floor: the same server and load generator answering GET /healthz (no body, no plan): what the
  // machine and the HTTP stack alone cost at this rate.
  const floorVariant: Variant | undefined = process.argv.includes('--floor')
    ? { name: 'healthz', dir: here, runtime: 'typescript', env: { SEARCH_MESH_QUERY_UNDERSTANDING_CLASSIFIER_RUNTIME: 'typescript' }, floor: true }
    : undefined;
  const semi = arg('semi-space', '');
  if (semi !== '') {
    // The same default runtime with a larger young generation: fewer scavenges, each about as short.
    variants.push({ name: `ts+semi${semi}`, dir: here, runtime: 'typescript', env: { SEARCH_MESH_QUERY_UNDERSTANDING_CLASSIFIER_RUNTIME: 'typescript' }, nodeFlags: [`--max-semi-space-size=${semi}`] });
  }
  if (process.argv.includes('--uncached')) {
    // The default runtime with the plan cache off: every request makes its plan (the cache's share of the
    // figures; the load cycles the test queries, so with the cache on nearly every request is a hit).
    variants.push({ name: 'ts uncached', dir: here, runtime: 'typescript', env: { SEARCH_MESH_QUERY_UNDERSTANDING_CLASSIFIER_RUNTIME: 'typescript', SEARCH_MESH_QUERY_UNDERSTANDING_PLAN_CACHE_ENTRIES: '0' } });
  }
  if (!process.argv.includes('--skip-in-process')) await inProcess(variants, rounds);
  pinLoadGenerator();
  if (process.argv.includes('--skip-http')) return;
  const httpVariants = floorVariant !== undefined ? [...variants, floorVariant] : variants;
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? httpVariants : [...httpVariants].reverse();
    for (const variant of order) await overHttp(queries, variant, Number(arg('rate', '5000')), seconds, process.argv.includes('--access-log'));
  }
}

const child = process.argv.indexOf('--in-process-child');
void (child >= 0 ? inProcessChild(process.argv[child + 1]!, process.argv[child + 2]!) : main()).then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
