import { Gauge, type Registry } from 'prom-client';

/** `mesh_peer_endpoints{peer}`: endpoints a peer's requests are spread over (1 for a static URL). */
export function registerEndpointGauge(registry: Registry, peers: () => Iterable<{ name: string; endpoints: number }>): Gauge<'peer'> {
  return new Gauge({
    name: 'mesh_peer_endpoints',
    help: 'Ready endpoints each peer\'s requests are spread over (1 for a static URL, 0 while none is ready)',
    labelNames: ['peer'] as const,
    registers: [registry],
    collect() {
      for (const peer of peers()) this.set({ peer: peer.name }, peer.endpoints);
    },
  });
}
