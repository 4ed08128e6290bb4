import type { ServiceApp } from './app';

export interface BackgroundWorker {
  /** Readiness check name, e.g. "consumer". */
  name: string;
  /** Starts the work (e.g. creates schemas, joins a consumer group); retried with backoff until it resolves. */
  start(): Promise<void>;
  /** Stops the work and closes what it holds, when the app closes. */
  stop(): Promise<void>;
}

/**
 * Runs a worker (a Kafka consumer) inside a service app: it starts once the app is ready and keeps trying
 * (250 ms doubling to 5 s) until its backends answer; `/readyz` fails the `name` check until it runs; the
 * app's close stops it.
 */
export function runWorker(app: ServiceApp, worker: BackgroundWorker): void {
  let running = false;
  let closing = false;
  const startLoop = async () => {
    for (let attempt = 0; !closing; attempt++) {
      try {
        await worker.start();
        running = true;
        app.log.info({ worker: worker.name }, 'worker running');
        return;
      } catch (err) {
        app.log.warn({ err, attempt, worker: worker.name }, 'cannot start yet, retrying');
        await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * 2 ** attempt)));
      }
    }
  };
  app.readiness.add(worker.name, async () => {
    if (!running) throw new Error(`${worker.name} not running yet`);
  });
  app.addHook('onReady', async () => {
    void startLoop();
  });
  app.addHook('onClose', async () => {
    closing = true;
    await worker.stop();
  });
}
