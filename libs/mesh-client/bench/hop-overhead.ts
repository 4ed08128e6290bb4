/**
 * Added latency of one hop through mesh-client (deadline, breaker, retry budget, metrics, JSON) against
 * a raw undici request (with the same JSON parsing) to the same loopback server, in another process.
 * Sequential requests, raw and mesh interleaved in alternating rounds so both see the same noise.
 *
 *   npm run bench:mesh-hop [-- --requests 20000]
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { Registry } from 'prom-client';
import { Deadline } from '@search-mesh/contracts';
import { quantile } from '@search-mesh/testing';
import { MeshClient } from '../src';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const REQUESTS = arg('requests', 20_000);
const ROUND = 250;
const WARMUP = 3_000;

const SERVER = `
  const http = require('node:http');
  const body = JSON.stringify({ ok: true, items: [1, 2, 3] });
  const server = http.createServer((req, res) => { res.setHeader('content-type', 'application/json'); res.end(body); });
  server.keepAliveTimeout = 60000;
  server.listen(0, '127.0.0.1', () => process.send(server.address().port));
`;

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), p999: quantile(sorted, 0.999) };
}

async function main(): Promise<void> {
  const server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [port] = (await once(server, 'message')) as [number];
  const origin = `http://127.0.0.1:${port}`;

  const raw = new Pool(origin, { connections: 1, pipelining: 1, keepAliveTimeout: 60_000 });
  const mesh = new MeshClient(new Registry());
  const peer = mesh.add({
    name: 'bench',
    url: origin,
    timeoutMs: 1000,
    connections: 1,
    breaker: { errorThresholdPercentage: 50, volumeThreshold: 20, resetTimeoutMs: 5000, rollingWindowMs: 10_000 },
    retry: { maxAttempts: 2, budgetRatio: 0.1, minPerSecond: 5, backoffMs: 5 },
  });
  const context = { id: 'bench-request', deadline: Deadline.after(3_600_000) };

  const rawOnce = async () => {
    const res = await raw.request({ method: 'GET', path: '/x' });
    JSON.parse(await res.body.text());
  };
  const meshOnce = async () => {
    await peer.call({ method: 'GET', path: '/x', context });
  };

  for (let i = 0; i < WARMUP; i++) {
    await rawOnce();
    await meshOnce();
  }

  const rawSamples: number[] = [];
  const meshSamples: number[] = [];
  for (let done = 0, round = 0; done < REQUESTS; done += ROUND, round++) {
    const order = round % 2 === 0 ? ([[rawOnce, rawSamples], [meshOnce, meshSamples]] as const) : ([[meshOnce, meshSamples], [rawOnce, rawSamples]] as const);
    for (const [send, samples] of order) {
      for (let i = 0; i < ROUND; i++) {
        const start = performance.now();
        await send();
        samples.push(performance.now() - start);
      }
    }
  }

  const r = summary(rawSamples);
  const m = summary(meshSamples);
  const fmt = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
  console.log(`one hop on loopback, ${rawSamples.length} sequential requests each, interleaved in rounds of ${ROUND}`);
  console.log(`                median      p99         p99.9`);
  console.log(`raw undici      ${fmt(r.median).padEnd(12)}${fmt(r.p99).padEnd(12)}${fmt(r.p999)}`);
  console.log(`mesh-client     ${fmt(m.median).padEnd(12)}${fmt(m.p99).padEnd(12)}${fmt(m.p999)}`);
  console.log(`overhead        ${fmt(m.median - r.median).padEnd(12)}${fmt(m.p99 - r.p99).padEnd(12)}${fmt(m.p999 - r.p999)}`);
  console.log(`ratio (median)  ${(m.median / r.median).toFixed(2)}x`);
  const target = 0.1;
  console.log(`target: median overhead <= ${target} ms: ${m.median - r.median <= target ? 'met' : 'NOT met'}`);

  await raw.close();
  await mesh.close();
  server.kill();
}

void main();
