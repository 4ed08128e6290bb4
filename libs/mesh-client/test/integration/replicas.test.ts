import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { Registry } from 'prom-client';
import { freePort, sleep } from '@search-mesh/testing';
import { MeshClient, type PeerOptions } from '../../src';

/**
 * A replica as its own process (so it can be killed with SIGKILL, as the fault suite kills services):
 * answers every request with its name and how many it has received on that path, after `delayMs`.
 */
const REPLICA = `
const http = require('node:http');
const [port, name, delayMs] = process.argv.slice(1);
const seen = new Map();
http.createServer((req, res) => {
  const n = (seen.get(req.url) ?? 0) + 1;
  seen.set(req.url, n);
  req.resume();
  req.on('end', () => setTimeout(() => res.end(JSON.stringify({ name, seen: n })), Number(delayMs)));
}).listen(Number(port), '127.0.0.1', () => process.stdout.write('ready\\n'));
`;

async function replica(name: string, delayMs = 5): Promise<{ url: string; proc: ChildProcess }> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['-e', REPLICA, String(port), name, String(delayMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(proc.stdout!, 'data');
  return { url: `http://127.0.0.1:${port}`, proc };
}

async function kill(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  proc.kill('SIGKILL');
  await once(proc, 'exit');
}

function options(url: string): PeerOptions {
  return {
    name: 'replicas',
    url,
    timeoutMs: 1000,
    connections: 8,
    breaker: { errorThresholdPercentage: 50, volumeThreshold: 10, resetTimeoutMs: 1000, rollingWindowMs: 10_000 },
    retry: { maxAttempts: 2, budgetRatio: 0.1, minPerSecond: 5, backoffMs: 5 },
  };
}

describe('a peer with several static endpoints', () => {
  const procs: ChildProcess[] = [];
  let mesh: MeshClient;
  let registry: Registry;

  beforeEach(() => {
    registry = new Registry();
    mesh = new MeshClient(registry);
  });
  afterEach(async () => {
    await mesh.close();
    await Promise.all(procs.splice(0).map(kill));
  });

  it('spreads calls over the replicas, and loses none when one is killed mid-load', async () => {
    const a = await replica('a');
    const b = await replica('b');
    procs.push(a.proc, b.proc);
    const peer = mesh.add(options(`${a.url},${b.url}`));
    expect(peer.endpoints).toBe(2);

    const answeredBy: Record<string, number> = { a: 0, b: 0 };
    const failures: string[] = [];
    let sent = 0;
    let running = true;
    // 16 shoppers in a closed loop, each GET a new path (the replicas count per path).
    const shopper = async (k: number) => {
      for (let i = 0; running; i++) {
        sent++;
        try {
          const res = await peer.call<{ name: string }>({ method: 'GET', path: `/get/${k}/${i}` });
          answeredBy[res.body.name]!++;
        } catch (err) {
          failures.push((err as Error).message);
        }
      }
    };
    const load = Promise.all(Array.from({ length: 16 }, (_, k) => shopper(k)));
    await sleep(500);
    const beforeKill = { ...answeredBy };
    await kill(b.proc); // SIGKILL under load: in-flight requests are reset, new connections refused
    await sleep(1000);
    const afterKill = { ...answeredBy };
    await sleep(500);
    running = false;
    await load;

    expect(beforeKill.a).toBeGreaterThan(20);
    expect(beforeKill.b).toBeGreaterThan(20); // both took traffic
    expect(failures).toEqual([]);
    expect(sent).toBe(answeredBy.a! + answeredBy.b!);
    expect(answeredBy.b).toBe(afterKill.b); // nothing reached the dead one after it died
    expect(answeredBy.a! - afterKill.a!).toBeGreaterThan(20); // a carried the load alone
    const metrics = await registry.metrics();
    expect(metrics).toMatch(/mesh_peer_endpoint_ejections_total\{peer="replicas"\} [1-9]/);
    expect(metrics).toMatch(/mesh_peer_breaker_state\{peer="replicas"\} 0/);
  }, 20_000);

  it('sends a POST that could not connect to another replica, once, and never resends one that was sent', async () => {
    const a = await replica('a');
    const b = await replica('b', 300);
    procs.push(a.proc, b.proc);
    const deadPort = await freePort(); // nothing listens: every connection is refused
    const peer = mesh.add(options(`http://127.0.0.1:${deadPort},${a.url}`));

    // Refused connections: each POST still succeeds, answered by a, and a saw it exactly once.
    for (let i = 0; i < 20; i++) {
      const res = await peer.call<{ name: string; seen: number }>({ method: 'POST', path: `/post/${i}`, body: { i } });
      expect(res.body).toEqual({ name: 'a', seen: 1 });
    }

    // A POST in flight when its replica dies may have been applied: it fails rather than being sent again.
    const only = mesh.add({ ...options(`${b.url},${a.url}`), name: 'slow-b' });
    const calls = Array.from({ length: 8 }, (_, i) => only.call<{ name: string; seen: number }>({ method: 'POST', path: `/inflight/${i}`, body: {} }).then(
      (res) => res.body.name,
      (err: { code?: string }) => err.code,
    ));
    await sleep(100); // b holds its requests for 300 ms
    await kill(b.proc);
    const outcomes = await Promise.all(calls);
    expect(outcomes).toContain('CONNECTION'); // the ones b had: not resent to a
    for (const o of outcomes) expect(['a', 'CONNECTION']).toContain(o);
    // and a GET in the same situation is retried (idempotent): covered by the first test.
  }, 20_000);

  it('takes an ejected replica back once it answers again', async () => {
    const a = await replica('a');
    procs.push(a.proc);
    const port = await freePort();
    const peer = mesh.add(options(`http://127.0.0.1:${port},${a.url}`));
    for (let i = 0; i < 10; i++) expect((await peer.call<{ name: string }>({ method: 'GET', path: `/x/${i}` })).body.name).toBe('a');

    // The replica comes up on its port; after its backoff (500 ms, then longer) it gets traffic again.
    const spawned = spawn(process.execPath, ['-e', REPLICA, String(port), 'b', '5'], { stdio: ['ignore', 'pipe', 'inherit'] });
    procs.push(spawned);
    await once(spawned.stdout!, 'data');
    const names = new Set<string>();
    const until = Date.now() + 8000;
    while (!names.has('b') && Date.now() < until) {
      names.add((await peer.call<{ name: string }>({ method: 'GET', path: `/y/${Date.now()}` })).body.name);
      await sleep(20);
    }
    expect(names.has('b')).toBe(true);
  }, 20_000);
});
