import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import { ConfigError, type ConfigOf, loadConfig, type SettingsSpec } from './config';
import type { KitConfig } from './config';

/** Readiness goes false, the drain delay passes, then in-flight requests finish and connections close. */
export async function shutdown(app: FastifyInstance, drainDelayMs: number): Promise<void> {
  app.readiness.beginShutdown();
  if (drainDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, drainDelayMs));
  await app.close();
}

export interface RunServiceOptions<S extends SettingsSpec> {
  name: string;
  settings: S;
  build: (config: ConfigOf<S>) => Promise<FastifyInstance>;
  env?: NodeJS.ProcessEnv;
}

/**
 * What every `server.ts` calls: validate config (exit 78 naming each bad variable), build, listen, and on
 * SIGTERM/SIGINT shut down gracefully within SHUTDOWN_TIMEOUT_MS (after which the process exits 1).
 */
export async function runService<S extends SettingsSpec>(opts: RunServiceOptions<S>): Promise<FastifyInstance> {
  let config: ConfigOf<S>;
  try {
    config = loadConfig(opts.name, opts.settings, opts.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${opts.name}: ${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const kit = config as unknown as KitConfig;
  const app = await opts.build(config);
  closeWithGrace({ delay: kit.shutdownTimeoutMs + kit.shutdownDrainDelayMs }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'fatal error, shutting down');
    else app.log.info({ signal }, 'shutting down');
    await shutdown(app, kit.shutdownDrainDelayMs);
  });
  await app.listen({ port: kit.port, host: kit.host });
  return app;
}
