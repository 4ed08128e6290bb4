/**
 * Where a peer's requests go: the origins (`http://10.0.3.7:8084`) of its ready endpoints. A source tells
 * its listener the full set whenever it changes; the listener (the peer's balanced pool) adds and drops
 * upstreams to match, synchronously, so an endpoint dropped by one update gets no further requests.
 */
export interface EndpointSource {
  /** `static` (one configured URL) or `kubernetes` (the peer Service's EndpointSlices). */
  readonly kind: 'static' | 'kubernetes';
  /** The ready origins known now (empty until the first list of a watching source completes). */
  readonly origins: readonly string[];
  /** Calls `listener` with the full set of ready origins after every change. */
  onChange(listener: (origins: readonly string[]) => void): void;
  /** Starts discovery; resolves when the first set is known (or discovery failed and will retry). */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Today's behaviour: the configured URL's origin, fixed (a Service name, a load balancer, a loopback port). */
export class StaticEndpointSource implements EndpointSource {
  readonly kind = 'static' as const;
  readonly origins: readonly string[];

  constructor(url: string) {
    this.origins = [new URL(url).origin];
  }

  onChange(): void {}

  async start(): Promise<void> {}

  async close(): Promise<void> {}
}
