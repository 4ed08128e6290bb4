import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { LATENCY_BUCKETS } from '@search-mesh/service-kit';
import type { BreakerState, Peer } from './peer';

const STATE_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

/** Per-peer call latency by outcome, retries, fallbacks and breaker state, in the service's registry. */
export class PeerMetrics {
  private readonly peers: Peer[] = [];
  private readonly latency: Histogram<'peer' | 'outcome'>;
  private readonly latencyChildren = new Map<string, { observe(v: number): void }>();
  private readonly retries: Counter<'peer'>;
  private readonly fallbacks: Counter<'peer' | 'reason'>;
  private readonly transitions: Counter<'peer' | 'state'>;
  private readonly ejections: Counter<'peer'>;

  constructor(registry: Registry) {
    this.latency = new Histogram({
      name: 'mesh_peer_request_duration_seconds',
      help: 'Calls to peers (each attempt), by outcome',
      labelNames: ['peer', 'outcome'] as const,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
    this.retries = new Counter({ name: 'mesh_peer_retries_total', help: 'Retries sent to peers', labelNames: ['peer'] as const, registers: [registry] });
    this.fallbacks = new Counter({
      name: 'mesh_peer_fallbacks_total',
      help: 'Calls answered by a fallback, by reason',
      labelNames: ['peer', 'reason'] as const,
      registers: [registry],
    });
    this.transitions = new Counter({
      name: 'mesh_peer_breaker_transitions_total',
      help: 'Circuit breaker state changes',
      labelNames: ['peer', 'state'] as const,
      registers: [registry],
    });
    this.ejections = new Counter({
      name: 'mesh_peer_endpoint_ejections_total',
      help: 'Endpoints of a peer left out for a backoff after a refused, reset or timed-out connection',
      labelNames: ['peer'] as const,
      registers: [registry],
    });
    const peers = this.peers;
    new Gauge({
      name: 'mesh_peer_breaker_state',
      help: 'Circuit breaker state per peer: 0 closed, 1 half-open, 2 open',
      labelNames: ['peer'] as const,
      registers: [registry],
      collect() {
        for (const peer of peers) this.set({ peer: peer.name }, STATE_VALUE[peer.state]);
      },
    });
    new Gauge({
      name: 'mesh_peer_breaker_state_since_seconds',
      help: 'When the breaker of each peer last changed state (Unix time): a scrape every few seconds still dates a transition to the millisecond',
      labelNames: ['peer'] as const,
      registers: [registry],
      collect() {
        for (const peer of peers) this.set({ peer: peer.name }, peer.stateSince / 1000);
      },
    });
  }

  track(peer: Peer): void {
    this.peers.push(peer);
  }

  observe(peer: string, outcome: string, ms: number): void {
    const key = `${peer}\u0000${outcome}`;
    let child = this.latencyChildren.get(key);
    if (child === undefined) {
      child = this.latency.labels(peer, outcome);
      this.latencyChildren.set(key, child);
    }
    child.observe(ms / 1000);
  }

  retried(peer: string): void {
    this.retries.inc({ peer });
  }

  fellBack(peer: string, reason: string): void {
    this.fallbacks.inc({ peer, reason: reason.toLowerCase() });
  }

  ejected(peer: string): void {
    this.ejections.inc({ peer });
  }

  breakerTransition(peer: string, state: BreakerState): void {
    this.transitions.inc({ peer, state });
  }
}
