/**
 * Pure functions over EndpointSlice objects (discovery.k8s.io/v1): which endpoints may receive traffic,
 * and at which origin. Kept free of I/O so the rules are unit-tested on their own.
 */

/** The parts of a discovery.k8s.io/v1 EndpointSlice the balancer reads. */
export interface EndpointSliceLike {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string> };
  addressType?: string;
  endpoints?: Array<{
    addresses?: string[];
    conditions?: { ready?: boolean | null; serving?: boolean | null; terminating?: boolean | null };
  }> | null;
  ports?: Array<{ name?: string | null; port?: number | null; protocol?: string | null }> | null;
}

/** Label every EndpointSlice of a Service carries (set by the EndpointSlice controller). */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/**
 * An endpoint takes new requests only while `ready` is not false (nil means unknown, which the API asks
 * consumers to treat as ready) and it is not terminating (a terminating pod may still be serving its
 * in-flight requests, but gets no new ones).
 */
export function isReady(conditions: { ready?: boolean | null; terminating?: boolean | null } | undefined): boolean {
  return conditions?.ready !== false && conditions?.terminating !== true;
}

/**
 * The port to call: the one named `portName`, or the only TCP port of the slice. Undefined when the slice
 * has no such port (the endpoints are then unusable).
 */
export function slicePort(slice: EndpointSliceLike, portName: string): number | undefined {
  const tcp = (slice.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP' && typeof p.port === 'number');
  const named = tcp.find((p) => (p.name ?? '') === portName);
  const chosen = named ?? (tcp.length === 1 ? tcp[0] : undefined);
  return chosen?.port ?? undefined;
}

function origin(address: string, port: number): string {
  return address.includes(':') ? `http://[${address}]:${port}` : `http://${address}:${port}`;
}

/** Ready origins of one slice (`http://10.0.3.7:8084`), in the slice's order. FQDN slices are skipped. */
export function readyOrigins(slice: EndpointSliceLike, portName: string): string[] {
  if (slice.addressType === 'FQDN') return [];
  const port = slicePort(slice, portName);
  if (port === undefined) return [];
  const out: string[] = [];
  for (const endpoint of slice.endpoints ?? []) {
    const address = endpoint.addresses?.[0];
    if (address !== undefined && isReady(endpoint.conditions)) out.push(origin(address, port));
  }
  return out;
}

/** Ready origins across all of a Service's slices, deduplicated (a pod may appear in two slices while they are rebalanced) and sorted. */
export function readyOriginsOf(slices: Iterable<EndpointSliceLike>, portName: string): string[] {
  const all = new Set<string>();
  for (const slice of slices) for (const o of readyOrigins(slice, portName)) all.add(o);
  return [...all].sort();
}

/**
 * Which Service (and namespace) a peer URL names: `http://search-mesh-ranking:8084` is Service
 * `search-mesh-ranking`; `http://ranking.shop.svc.cluster.local` is Service `ranking` in `shop`.
 */
export function serviceFromUrl(url: string): { service: string; namespace?: string } {
  const host = new URL(url).hostname;
  const labels = host.split('.');
  const service = labels[0] ?? host;
  const namespace = labels.length >= 2 && labels[1] !== undefined && labels[1] !== 'svc' ? labels[1] : undefined;
  return namespace === undefined ? { service } : { service, namespace };
}
