import { backendSettings, createCassandraClient } from '@search-mesh/backends';
import { dropFeatureSchema, ensureFeatureSchema } from '@search-mesh/feature-store';
import { loadConfig } from '@search-mesh/service-kit';
import { freePort, type RunningProcess, runTs, waitForHttp } from '@search-mesh/testing';

export type PeerName = 'query-understanding' | 'autocomplete' | 'facet' | 'ranking';
export const PEER_NAMES: PeerName[] = ['query-understanding', 'autocomplete', 'facet', 'ranking'];
const envName = (name: string) => name.toUpperCase().replace(/-/g, '_');

export interface ServiceProcess {
  name: string;
  port: number;
  url: string;
  process: RunningProcess;
  /** False when the service did not come up (e.g. a peer still being built). */
  up: boolean;
}

/** Starts a service of the repo as a real process on a free port; waits for /healthz. */
export async function startService(name: string, env: NodeJS.ProcessEnv, port?: number, entry = `services/${name}/src/server.ts`, timeoutMs = 45_000): Promise<ServiceProcess> {
  const chosen = port ?? (await freePort());
  const prefix = `SEARCH_MESH_${envName(name)}_`;
  const process = runTs(entry, {
    [`${prefix}PORT`]: String(chosen),
    [`${prefix}LOG_LEVEL`]: 'warn',
    [`${prefix}ACCESS_LOG`]: 'false',
    ...env,
  });
  const url = `http://127.0.0.1:${chosen}`;
  let up = true;
  try {
    await Promise.race([
      waitForHttp(`${url}/healthz`, { timeoutMs }),
      process.exited.then((code) => {
        throw new Error(`${name} exited with ${code}: ${process.output().slice(-2000)}`);
      }),
    ]);
  } catch (err) {
    up = false;
    await process.stop('SIGKILL');
    if (name === 'orchestrator') throw err;
  }
  return { name, port: chosen, url, process, up };
}

export interface Mesh {
  orchestrator: ServiceProcess;
  peers: Record<PeerName, ServiceProcess>;
  stop(): Promise<void>;
}

/**
 * The four peers and the orchestrator as processes. `peerUrls` lets a test put something (a chaos proxy)
 * between the orchestrator and a peer; by default the orchestrator calls each peer directly.
 */
export async function startMesh(options: {
  namespace: string;
  orchestratorEnv?: NodeJS.ProcessEnv;
  peerUrls?: (peers: Record<PeerName, ServiceProcess>) => Promise<Partial<Record<PeerName, string>>>;
  /** The orchestrator's entry point relative to the repo root (a benchmark compares another build). */
  orchestratorEntry?: string;
  /** Size of the generated catalog in the index (default seed): autocomplete builds its entities from the same one. */
  catalogSize?: number;
  /**
   * Creates the namespace's feature-store tables first, as the feature pipeline does in a deployment (without
   * them every rank request's read fails and is retried), and drops them on stop.
   */
  featureStore?: boolean;
}): Promise<Mesh> {
  const cassandra = options.featureStore ? createCassandraClient(loadConfig('test', backendSettings, { ...process.env, SEARCH_MESH_NAMESPACE: options.namespace })) : undefined;
  if (cassandra) await ensureFeatureSchema(cassandra, options.namespace);
  const peerEnv = (name: PeerName): NodeJS.ProcessEnv => ({
    SEARCH_MESH_NAMESPACE: options.namespace,
    ...(name === 'autocomplete' && options.catalogSize !== undefined ? { SEARCH_MESH_AUTOCOMPLETE_CATALOG_SIZE: String(options.catalogSize) } : {}),
  });
  const started = await Promise.all(PEER_NAMES.map((name) => startService(name, peerEnv(name))));
  const peers = Object.fromEntries(started.map((p) => [p.name, p])) as Record<PeerName, ServiceProcess>;
  const urls = (await options.peerUrls?.(peers)) ?? {};
  const peerUrlEnv: NodeJS.ProcessEnv = {};
  for (const name of PEER_NAMES) peerUrlEnv[`SEARCH_MESH_ORCHESTRATOR_${envName(name)}_URL`] = urls[name] ?? peers[name].url;
  const orchestrator = await startService('orchestrator', { SEARCH_MESH_NAMESPACE: options.namespace, ...peerUrlEnv, ...options.orchestratorEnv }, undefined, options.orchestratorEntry);
  return {
    orchestrator,
    peers,
    async stop() {
      // The peers as they are now: a test may have killed one and started it again (mesh.peers[name] = ...).
      await Promise.all([orchestrator, ...Object.values(peers)].map((s) => s.process.stop()));
      if (cassandra) await dropFeatureSchema(cassandra, options.namespace).finally(() => cassandra.shutdown());
    },
  };
}
