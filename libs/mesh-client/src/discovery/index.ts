import type { Pool } from 'undici';
import { EndpointPool, type EndpointPoolOptions } from './endpoint-pool';
import { KubernetesEndpointSource, inCluster, podNamespace } from './kubernetes-source';
import { type EndpointSource, peerUrls } from './source';
import { serviceFromUrl } from './endpoint-slices';

export * from './source';
export * from './endpoint-slices';
export * from './endpoint-pool';
export * from './kubernetes-source';
export * from './outlier';
export { registerEndpointGauge } from './metrics';

/** How a peer finds its endpoints. */
export type DiscoveryOptions =
  | { mode: 'static' }
  | {
      mode: 'kubernetes';
      /** The peer's Service, whose EndpointSlices are watched. */
      service: string;
      namespace: string;
      /** The Service port to call (by name), or the slice's only port. */
      portName: string;
      /** A kubeconfig file; unset in a pod (in-cluster configuration). */
      kubeconfig?: string;
      /** Told about list/watch errors; the watch retries by itself. */
      onError?: (err: unknown) => void;
      /** Rewrites each discovered origin (a tunnel; tests map pod IPs to loopback addresses). */
      mapOrigin?: (origin: string) => string;
    };

export type DiscoveryMode = 'static' | 'kubernetes' | 'auto';

export interface DiscoverySettings {
  discovery: DiscoveryMode;
  discoveryNamespace: string;
  discoveryPortName: string;
  discoveryKubeconfig: string;
}

/**
 * The discovery of the peer at `url` under the mesh settings: `static` calls the URL as configured;
 * `kubernetes` watches the EndpointSlices of the Service the URL names (`http://<service>[.<namespace>]:<port>`);
 * `auto` is `kubernetes` inside a pod (KUBERNETES_SERVICE_HOST set), `static` elsewhere.
 */
export function discoveryFor(settings: DiscoverySettings, url: string, env: NodeJS.ProcessEnv = process.env): DiscoveryOptions {
  const mode = settings.discovery === 'auto' ? (inCluster(env) ? 'kubernetes' : 'static') : settings.discovery;
  if (mode === 'static') return { mode };
  const named = serviceFromUrl(peerUrls(url)[0]!);
  const namespace = named.namespace ?? (settings.discoveryNamespace || podNamespace() || 'default');
  const options: DiscoveryOptions = { mode, service: named.service, namespace, portName: settings.discoveryPortName };
  if (settings.discoveryKubeconfig) options.kubeconfig = settings.discoveryKubeconfig;
  return options;
}

/** A peer's endpoint source and the request target that follows it. */
export interface PeerEndpoints {
  source: EndpointSource;
  target: EndpointPool;
  /** Endpoints requests are spread over now. */
  count(): number;
}

/** Builds the source and the balanced target for a `kubernetes` peer. */
export function kubernetesEndpoints(
  discovery: Extract<DiscoveryOptions, { mode: 'kubernetes' }>,
  fallbackUrl: string,
  poolOptions: Pool.Options,
  poolBehaviour: EndpointPoolOptions = {},
): PeerEndpoints {
  const source = new KubernetesEndpointSource(discovery);
  const target = new EndpointPool(new URL(peerUrls(fallbackUrl)[0]!).origin, poolOptions, poolBehaviour);
  source.onChange((origins) => target.update(origins));
  return { source, target, count: () => target.size };
}
