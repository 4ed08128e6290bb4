import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Registry } from 'prom-client';
import { registerEndpointGauge } from './discovery';
import { PeerMetrics } from './metrics';
import { Peer, type PeerOptions } from './peer';

/** A service's peers, by name. */
export class MeshClient {
  private readonly peers = new Map<string, Peer>();
  private readonly metrics: PeerMetrics;

  constructor(registry: Registry) {
    this.metrics = new PeerMetrics(registry);
    registerEndpointGauge(registry, () => this.peers.values());
  }

  add(options: PeerOptions): Peer {
    if (this.peers.has(options.name)) throw new Error(`peer "${options.name}" added twice`);
    const peer = new Peer(options, this.metrics);
    this.peers.set(options.name, peer);
    return peer;
  }

  /** Resolves once every peer's discovery has its first set of endpoints. */
  async ready(): Promise<void> {
    await Promise.all([...this.peers.values()].map((peer) => peer.ready));
  }

  peer(name: string): Peer {
    const peer = this.peers.get(name);
    if (!peer) throw new Error(`no peer named "${name}"`);
    return peer;
  }

  async close(): Promise<void> {
    await Promise.all([...this.peers.values()].map((peer) => peer.close()));
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    mesh: MeshClient;
  }
}

/** Decorates the app with `mesh` (its peers registered), using the app's metrics; closes pools on close. */
export const meshClientPlugin = fp<{ peers: PeerOptions[] }>(
  async function meshClientPlugin(app: FastifyInstance, opts: { peers: PeerOptions[] }) {
    const mesh = new MeshClient(app.metrics);
    for (const peer of opts.peers) {
      const discovery = peer.discovery;
      if (discovery?.mode === 'kubernetes' && !discovery.onError) {
        const onError = (err: unknown) => app.log.warn({ err, peer: peer.name, service: discovery.service }, 'endpoint discovery failed; retrying');
        mesh.add({ ...peer, discovery: { ...discovery, onError } });
      } else mesh.add(peer);
    }
    app.decorate('mesh', mesh);
    app.addHook('onClose', async () => mesh.close());
  },
  { name: 'search-mesh-mesh-client', dependencies: ['search-mesh-metrics'] },
);
