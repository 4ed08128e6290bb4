import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** A check that a dependency answers; resolves when it does, rejects (or times out) when it does not. */
export type ReadinessCheck = () => Promise<unknown>;

export interface Readiness {
  /** Registers a dependency that must answer for the service to be ready. */
  add(name: string, check: ReadinessCheck): void;
  /** False from the moment shutdown starts, so load balancers stop sending traffic. */
  readonly shuttingDown: boolean;
  beginShutdown(): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    readiness: Readiness;
  }
}

export interface HealthOptions {
  /** How long one dependency check may take before it counts as down. */
  checkTimeoutMs?: number;
}

type CheckResult = { name: string; ok: boolean; ms: number; error?: string };

async function runCheck(name: string, check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  const start = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { name, ok: true, ms: Math.round(performance.now() - start) };
  } catch (err) {
    return { name, ok: false, ms: Math.round(performance.now() - start), error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** `/healthz`: the process is alive. `/readyz`: it is not shutting down and every dependency answers. */
export const healthPlugin = fp<HealthOptions>(
  async function healthPlugin(app: FastifyInstance, opts: HealthOptions) {
    const checkTimeoutMs = opts.checkTimeoutMs ?? 1000;
    const checks = new Map<string, ReadinessCheck>();
    let shuttingDown = false;
    const readiness: Readiness = {
      add(name, check) {
        if (checks.has(name)) throw new Error(`readiness check "${name}" registered twice`);
        checks.set(name, check);
      },
      get shuttingDown() {
        return shuttingDown;
      },
      beginShutdown() {
        shuttingDown = true;
      },
    };
    app.decorate('readiness', readiness);
    // Once shutdown begins, every answer closes its connection: keep-alive clients reconnect elsewhere
    // during the drain, and connections busy when the listener closed do not hold the process open.
    app.addHook('onSend', async (_request, reply) => {
      if (shuttingDown) reply.header('connection', 'close');
    });

    const operational = { logLevel: 'warn' as const, config: { operational: true } };
    app.get('/healthz', operational, async () => ({ status: 'ok' }));
    app.get('/readyz', operational, async (_request, reply) => {
      if (shuttingDown) return reply.status(503).send({ status: 'shutting_down', checks: [] });
      const results = await Promise.all([...checks].map(([name, check]) => runCheck(name, check, checkTimeoutMs)));
      const ready = results.every((r) => r.ok);
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks: results });
    });
  },
  { name: 'search-mesh-health' },
);
