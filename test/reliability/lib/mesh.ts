import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { envSegment } from '@search-mesh/contracts';
import { freePort, REPO_ROOT, waitFor } from '@search-mesh/testing';
import { type ServiceProcess, startService } from '../../../services/orchestrator/test/support/mesh';

/** Every service of the repo (a directory under services/ with src/server.ts): new services join by existing. */
export function serviceNames(): string[] {
  const dir = path.join(REPO_ROOT, 'services');
  return readdirSync(dir)
    .filter((name) => existsSync(path.join(dir, name, 'src/server.ts')))
    .sort((a, b) => (a === 'orchestrator' ? 1 : b === 'orchestrator' ? -1 : a.localeCompare(b)));
}

export interface Route {
  method: string;
  url: string;
}

export interface MeshService {
  /** The service's name, or `<service>#<n>` for its n-th replica (n ≥ 2). */
  name: string;
  /** The service (its directory under services/). */
  service: string;
  port: number;
  url: string;
  /** The routes the service listed at start (service-kit logs them once, at info level). */
  routes: Route[];
  current: ServiceProcess;
  /** The env the service was started with, to restart it the same way. */
  env: NodeJS.ProcessEnv;
}

export interface WholeMesh {
  namespace: string;
  adminToken: string;
  services: Map<string, MeshService>;
  orchestratorUrl: string;
  /** Every replica's URL of a service, comma-separated (what its callers' peer URL setting lists). */
  urlsOf(service: string): string;
  /** Kills (SIGKILL) a service's process. */
  kill(name: string): Promise<void>;
  /** Starts a service again on its port, as it was started. */
  restart(name: string): Promise<void>;
  /** Services whose process has exited (a crash, unless the suite killed it). */
  exited(): string[];
  stop(): Promise<void>;
}

function routesIn(output: string): Route[] {
  for (const line of output.split('\n')) {
    if (!line.includes('"msg":"routes"')) continue;
    try {
      const parsed = JSON.parse(line) as { routes?: string[] };
      return (parsed.routes ?? []).map((r) => {
        const [method, url] = r.split(' ');
        return { method: method!, url: url! };
      });
    } catch {
      // a line that only looks like it
    }
  }
  return [];
}

/**
 * Every service of the repo as a real process on a free port, in one namespace, each knowing every other's
 * URL (`SEARCH_MESH_<SERVICE>_<PEER>_URL`; settings a service does not have are ignored), with one admin
 * token. `peerUrl` lets a suite put a proxy between the orchestrator and a peer. `replicas` runs more than
 * one process of a service (`<service>#2`, ...): its callers list every replica's URL and balance over them.
 */
export async function startWholeMesh(options: {
  namespace: string;
  adminToken: string;
  catalogSize: number;
  env?: NodeJS.ProcessEnv;
  serviceEnv?: Record<string, NodeJS.ProcessEnv>;
  peerUrl?: (peer: string, direct: string) => Promise<string>;
  replicas?: Record<string, number>;
}): Promise<WholeMesh> {
  const services0 = serviceNames();
  const names = services0.flatMap((service) => Array.from({ length: options.replicas?.[service] ?? 1 }, (_, i) => (i === 0 ? service : `${service}#${i + 1}`)));
  const serviceOf = (name: string) => name.split('#')[0]!;
  const ports = new Map<string, number>();
  for (const name of names) ports.set(name, await freePort());
  const urls = new Map([...ports].map(([name, port]) => [name, `http://127.0.0.1:${port}`]));
  const urlsOf = (service: string) => names.filter((n) => serviceOf(n) === service).map((n) => urls.get(n)!).join(',');
  const callerUrls = new Map<string, string>();
  for (const service of services0) callerUrls.set(service, options.peerUrl ? await options.peerUrl(service, urlsOf(service)) : urlsOf(service));
  const killed = new Set<string>();
  const services = new Map<string, MeshService>();

  const envFor = (service: string): NodeJS.ProcessEnv => {
    const name = service;
    const prefix = `SEARCH_MESH_${envSegment(name)}_`;
    const env: NodeJS.ProcessEnv = {
      SEARCH_MESH_NAMESPACE: options.namespace,
      [`${prefix}LOG_LEVEL`]: 'info',
      [`${prefix}ACCESS_LOG`]: 'false',
      [`${prefix}ADMIN_TOKEN`]: options.adminToken,
      [`${prefix}CATALOG_SIZE`]: String(options.catalogSize),
      [`${prefix}RATE_LIMIT_MAX`]: '0',
      ...options.env,
      ...options.serviceEnv?.[name],
    };
    for (const [peer, url] of callerUrls) if (peer !== name) env[`${prefix}${envSegment(peer)}_URL`] = url;
    return env;
  };

  const start = async (name: string) => {
    const service = serviceOf(name);
    const env = envFor(service);
    // Generous: a service that builds an index at start (autocomplete) is slow on a busy machine.
    const current = await startService(service, env, ports.get(name), undefined, 120_000);
    if (!current.up) throw new Error(`${name} did not start: ${current.process.output().slice(-3000)}`);
    // The routes line was written before the service listened, but its stdout may arrive after /healthz answered.
    const routes = await waitFor(`${name}'s routes line`, async () => {
      const found = routesIn(current.process.output());
      return found.length > 0 ? found : undefined;
    }, 10_000, 50);
    services.set(name, { name, service, port: current.port, url: current.url, routes, current, env });
  };
  const started = await Promise.allSettled(names.map(start));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all([...services.values()].map((s) => s.current.process.stop()));
    throw failed.reason;
  }

  return {
    namespace: options.namespace,
    adminToken: options.adminToken,
    services,
    orchestratorUrl: urls.get('orchestrator')!,
    urlsOf,
    async kill(name) {
      killed.add(name);
      await services.get(name)!.current.process.stop('SIGKILL');
    },
    async restart(name) {
      const service = services.get(name)!;
      service.current = await startService(service.service, service.env, service.port, undefined, 120_000);
      killed.delete(name);
    },
    exited() {
      return [...services.values()].filter((s) => !killed.has(s.name) && (s.current.process.child.exitCode !== null || s.current.process.child.signalCode !== null)).map((s) => s.name);
    },
    async stop() {
      await Promise.all([...services.values()].map((s) => s.current.process.stop()));
    },
  };
}
