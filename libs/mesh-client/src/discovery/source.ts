/**
 * Where a peer's requests go: the origins (`http://10.0.3.7:8084`) of its ready endpoints. A source tells
 * its listener the full set whenever it changes; the listener (the peer's balanced pool) adds and drops
 * upstreams to match, synchronously, so an endpoint dropped by one update gets no further requests.
 */
export interface EndpointSource {
  /** `static` (the configured URLs) or `kubernetes` (the peer Service's EndpointSlices). */
  readonly kind: 'static' | 'kubernetes';
  /** The ready origins known now (empty until the first list of a watching source completes). */
  readonly origins: readonly string[];
  /** Calls `listener` with the full set of ready origins after every change. */
  onChange(listener: (origins: readonly string[]) => void): void;
  /** Starts discovery; resolves when the first set is known (or discovery failed and will retry). */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The URLs a peer URL setting lists: one (`http://ranking:8084`) or several, comma-separated
 * (`http://10.0.0.5:8081,http://10.0.0.6:8081`: replicas without a load balancer in front). They must share
 * one path prefix, which every call keeps.
 */
export function peerUrls(url: string): string[] {
  const urls = url.split(',').map((u) => u.trim()).filter((u) => u.length > 0);
  if (urls.length === 0) throw new Error('a peer URL is required');
  const prefix = (u: string) => new URL(u).pathname.replace(/\/$/, '');
  const first = prefix(urls[0]!);
  for (const u of urls) if (prefix(u) !== first) throw new Error(`the URLs of one peer must share a path prefix: "${urls[0]}" and "${u}" do not`);
  return urls;
}

/** The configured URLs' origins, fixed (a Service name, a load balancer, loopback ports, a list of replicas). */
export class StaticEndpointSource implements EndpointSource {
  readonly kind = 'static' as const;
  readonly origins: readonly string[];

  constructor(url: string) {
    this.origins = [...new Set(peerUrls(url).map((u) => new URL(u).origin))];
  }

  onChange(): void {}

  async start(): Promise<void> {}

  async close(): Promise<void> {}
}
