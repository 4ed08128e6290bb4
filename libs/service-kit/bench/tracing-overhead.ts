/**
 * What tracing costs on the hot path: a request through a service-kit app that calls a peer through
 * mesh-client (server span, trace id on the request logger and its access-log line, client span, traceparent
 * injected, the peer's server span), in three processes that differ only in their environment:
 *   disabled  OTEL_SDK_DISABLED=true: none of the tracing code runs (what the services did before it)
 *   off       the default: W3C context propagated and logged, nothing recorded
 *   on        OTEL_EXPORTER_OTLP_ENDPOINT set: every span recorded and exported (to a sink in this process)
 * Sequential requests, the variants interleaved in alternating rounds so all see the same noise; latency
 * median, p99, p99.9 and the serving process's CPU per request.
 *
 *   npx tsx libs/service-kit/bench/tracing-overhead.ts [--requests 20000] [--json FILE]
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};

/** The child: a "back" app and a "front" app whose route calls it, both with the service kit as services run it. */
async function child(): Promise<void> {
  const pino = (await import('pino')).default;
  const { createServiceApp, kitSettings, loadConfig } = await import('../src');
  const { meshClientPlugin, meshSettings, peerOptions } = await import('@search-mesh/mesh-client');
  const { setupTracing, traceMixin } = await import('../src/tracing');
  const { recording } = setupTracing('bench');
  const config = loadConfig('bench', { ...kitSettings(0), ...meshSettings() }, {});
  // Access log on, written to /dev/null: the per-request log line (and its trace id binding) is part of the
  // cost; the logger is made as createServiceApp makes it (the mixin only when recording).
  const logger = () => ({ level: 'info', stream: pino.destination({ dest: '/dev/null', sync: false }), ...(recording ? { mixin: traceMixin } : {}) });
  const back = await createServiceApp({ name: 'back', config, logger: logger() });
  back.post('/v1/echo', async (request) => ({ ok: true, echo: request.body }));
  await back.listen({ port: 0, host: '127.0.0.1' });
  const front = await createServiceApp({ name: 'front', config, logger: logger() });
  await front.register(meshClientPlugin, { peers: [peerOptions(config, 'back', `http://127.0.0.1:${(back.server.address() as { port: number }).port}`)] });
  front.get('/hop', async (request) => (await front.mesh.peer('back').call({ method: 'POST', path: '/v1/echo', body: { q: 'samsung tv' }, context: request })).body);
  front.get('/cpu', async () => process.cpuUsage());
  await front.listen({ port: 0, host: '127.0.0.1' });
  process.send!((front.server.address() as { port: number }).port);
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function main(): Promise<void> {
  const requests = Number(arg('requests', '20000'));
  const ROUND = 250;
  // The OTLP sink of the "on" variant: accepts and drops, like a collector that keeps up.
  const sink = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('{}'));
  });
  sink.listen(0, '127.0.0.1');
  await once(sink, 'listening');
  const sinkUrl = `http://127.0.0.1:${(sink.address() as { port: number }).port}`;
  const variants = {
    disabled: { OTEL_SDK_DISABLED: 'true' },
    off: {},
    on: { OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl },
  } as const;
  const names = Object.keys(variants) as Array<keyof typeof variants>;
  const runs = await Promise.all(
    names.map(async (name) => {
      const env: NodeJS.ProcessEnv = { ...process.env, ...variants[name] };
      for (const k of ['OTEL_SDK_DISABLED', 'OTEL_EXPORTER_OTLP_ENDPOINT'] as const) if (!(k in variants[name])) delete env[k];
      const proc = spawn(process.execPath, ['--import', 'tsx', __filename, '--child'], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      const [port] = (await once(proc, 'message')) as [number];
      return { name, proc, pool: new Pool(`http://127.0.0.1:${port}`, { connections: 1 }), samples: [] as number[], cpuStart: 0 };
    }),
  );
  const get = async (pool: Pool, path: string) => JSON.parse(await (await pool.request({ method: 'GET', path })).body.text());
  const cpu = async (pool: Pool) => {
    const u = (await get(pool, '/cpu')) as { user: number; system: number };
    return u.user + u.system;
  };
  for (const run of runs) for (let i = 0; i < 2000; i++) await get(run.pool, '/hop'); // warm-up: JIT, pools
  for (const run of runs) run.cpuStart = await cpu(run.pool);
  for (let done = 0; done < requests; done += ROUND) {
    for (const run of runs) {
      for (let i = 0; i < ROUND; i++) {
        const start = performance.now();
        await get(run.pool, '/hop');
        run.samples.push(performance.now() - start);
      }
    }
  }
  const results: Record<string, { requests: number; medianMs: number; p99Ms: number; p999Ms: number; cpuUsPerRequest: number }> = {};
  for (const run of runs) {
    const cpuUs = (await cpu(run.pool)) - run.cpuStart;
    const sorted = [...run.samples].sort((a, b) => a - b);
    results[run.name] = {
      requests: sorted.length,
      medianMs: +quantile(sorted, 0.5).toFixed(3),
      p99Ms: +quantile(sorted, 0.99).toFixed(3),
      p999Ms: +quantile(sorted, 0.999).toFixed(3),
      cpuUsPerRequest: +(cpuUs / sorted.length).toFixed(1),
    };
    await run.pool.close();
    run.proc.kill();
  }
  sink.close();
  console.table(results);
  const base = results.disabled!;
  for (const name of ['off', 'on'] as const) {
    const r = results[name]!;
    console.log(`${name} vs disabled: median +${(r.medianMs - base.medianMs).toFixed(3)} ms (×${(r.medianMs / base.medianMs).toFixed(2)}), p99 ×${(r.p99Ms / base.p99Ms).toFixed(2)}, CPU +${(r.cpuUsPerRequest - base.cpuUsPerRequest).toFixed(1)} µs/request`);
  }
  const out = arg('json', '');
  if (out) writeFileSync(out, JSON.stringify({ bench: 'tracing-overhead', at: new Date().toISOString(), requests, results }, null, 2));
}

if (process.argv.includes('--child')) void child();
else void main();
