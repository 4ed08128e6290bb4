import { Client, request } from 'undici';
import { freePort, runTs, sleep, waitForHttp } from '@search-mesh/testing';

const FIXTURE = 'libs/service-kit/test/fixtures/slow-server.ts';

async function startFixture(env: Record<string, string>) {
  const port = await freePort();
  const proc = runTs(FIXTURE, { SEARCH_MESH_SLOW_FIXTURE_PORT: String(port), SEARCH_MESH_SLOW_FIXTURE_LOG_LEVEL: 'warn', ...env });
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/healthz`);
  return { proc, base };
}

/** A request on a connection of its own, so it never rides an existing keep-alive socket. */
async function freshRequest(url: string): Promise<{ status: number } | { error: string }> {
  const { origin, pathname } = new URL(url);
  const client = new Client(origin);
  try {
    const res = await client.request({ method: 'GET', path: pathname });
    await res.body.dump();
    return { status: res.statusCode };
  } catch (err) {
    return { error: (err as NodeJS.ErrnoException).code ?? (err as Error).message };
  } finally {
    await client.destroy();
  }
}

describe('graceful shutdown', () => {
  it('on SIGTERM: readiness goes false, in-flight requests finish, new ones are refused, exit 0', async () => {
    const { proc, base } = await startFixture({ SEARCH_MESH_SLOW_FIXTURE_SHUTDOWN_DRAIN_DELAY_MS: '400' });
    const inFlight = [1, 2, 3].map(() =>
      request(`${base}/slow?ms=1000`).then(async (res) => ({ status: res.statusCode, body: await res.body.json() })),
    );
    await sleep(150);
    proc.child.kill('SIGTERM');

    await sleep(100); // draining: still serving, but telling the load balancer to stop sending
    expect(await freshRequest(`${base}/readyz`)).toEqual({ status: 503 });

    await sleep(500); // past the drain delay: the listener is closed
    expect(await freshRequest(`${base}/healthz`)).toEqual({ error: 'ECONNREFUSED' });

    const answers = await Promise.all(inFlight);
    expect(answers).toEqual([1, 2, 3].map(() => ({ status: 200, body: { sleptMs: 1000 } })));
    expect(await proc.exited).toBe(0);
  });

  it('cuts requests that outlive SHUTDOWN_TIMEOUT_MS and exits non-zero', async () => {
    const { proc, base } = await startFixture({ SEARCH_MESH_SLOW_FIXTURE_SHUTDOWN_TIMEOUT_MS: '300' });
    const stuck = request(`${base}/slow?ms=8000`).then(
      (res) => res.statusCode,
      (err: Error) => err.message,
    );
    await sleep(100);
    const killedAt = Date.now();
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(1);
    expect(Date.now() - killedAt).toBeLessThan(2000);
    expect(await stuck).not.toBe(200);
  });
});
