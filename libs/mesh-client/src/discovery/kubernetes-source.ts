import { readFileSync } from 'node:fs';
import type { EndpointSource } from './source';
import { type EndpointSliceLike, SERVICE_NAME_LABEL, readyOriginsOf } from './endpoint-slices';

/** Where a pod finds its own namespace and credentials (the ServiceAccount volume). */
const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface KubernetesSourceOptions {
  /** The peer's Service; its slices are those labelled kubernetes.io/service-name=<service>. */
  service: string;
  namespace: string;
  /** Name of the Service port to call (the slice's port of that name), or the only port when there is one. */
  portName: string;
  /** A kubeconfig file; empty: the pod's in-cluster configuration (ServiceAccount token, CA, KUBERNETES_SERVICE_HOST). */
  kubeconfig?: string;
  /** Pause before the watch is restarted after an error (doubles up to 30 s while errors repeat). */
  retryDelayMs?: number;
  /** Told about every list/watch error (the watch restarts by itself). */
  onError?: (err: unknown) => void;
  /**
   * Rewrites each discovered origin before it is used: e.g. to reach pod IPs through a tunnel. Tests use
   * it because the API server refuses loopback addresses in EndpointSlices.
   */
  mapOrigin?: (origin: string) => string;
}

/** True inside a pod: the kubelet sets KUBERNETES_SERVICE_HOST and mounts the ServiceAccount token. */
export function inCluster(env: NodeJS.ProcessEnv = process.env): boolean {
  return (env.KUBERNETES_SERVICE_HOST ?? '') !== '';
}

/** The pod's namespace (from its ServiceAccount volume), or undefined outside a pod. */
export function podNamespace(): string | undefined {
  try {
    return readFileSync(`${SERVICE_ACCOUNT_DIR}/namespace`, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * A peer's ready endpoints from the EndpointSlices of its Service, kept current by one list-and-watch
 * (@kubernetes/client-node's informer). Each watch event updates the informer's cache and, in the same
 * tick, the listener: an endpoint whose `conditions.ready` turns false, which starts terminating, or
 * whose slice is deleted is dropped before the next event is read. On a watch error the last known set
 * is kept (as kube-proxy keeps its rules) and the watch restarts, relisting when its resource version is gone.
 */
export class KubernetesEndpointSource implements EndpointSource {
  readonly kind = 'kubernetes' as const;
  private current: readonly string[] = [];
  private readonly listeners: Array<(origins: readonly string[]) => void> = [];
  private informer: { start(): Promise<void>; stop(): Promise<void>; list(ns?: string): EndpointSliceLike[] } | undefined;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  /** Watch events and relists applied so far (tests wait on it). */
  updates = 0;

  constructor(private readonly opts: KubernetesSourceOptions) {
    if (!DNS_LABEL.test(opts.service)) throw new Error(`"${opts.service}" is not a Kubernetes Service name; set the peer URL to http://<service>[.<namespace>]:<port>`);
    if (!DNS_LABEL.test(opts.namespace)) throw new Error(`"${opts.namespace}" is not a Kubernetes namespace`);
  }

  get origins(): readonly string[] {
    return this.current;
  }

  onChange(listener: (origins: readonly string[]) => void): void {
    this.listeners.push(listener);
  }

  async start(): Promise<void> {
    // @kubernetes/client-node is an ES module; loaded only when a peer is discovered through Kubernetes.
    const k8s = await import('@kubernetes/client-node');
    const kc = new k8s.KubeConfig();
    if (this.opts.kubeconfig) kc.loadFromFile(this.opts.kubeconfig);
    else kc.loadFromCluster();
    const api = kc.makeApiClient(k8s.DiscoveryV1Api);
    const { namespace, service } = this.opts;
    const labelSelector = `${SERVICE_NAME_LABEL}=${service}`;
    const informer = k8s.makeInformer(
      kc,
      `/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices`,
      () => api.listNamespacedEndpointSlice({ namespace, labelSelector }),
      labelSelector,
    );
    this.informer = informer as unknown as NonNullable<typeof this.informer>;
    const changed = () => this.recompute();
    informer.on(k8s.ADD, changed);
    informer.on(k8s.UPDATE, changed);
    informer.on(k8s.DELETE, changed);
    informer.on(k8s.CONNECT, () => {
      this.failures = 0;
    });
    informer.on(k8s.ERROR, (err: unknown) => this.failed(err));
    if (this.closed) return;
    // start() resolves once the list is applied and the watch request is open.
    await informer.start().catch((err: unknown) => this.failed(err));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.informer?.stop();
  }

  private recompute(): void {
    if (this.closed || !this.informer) return;
    this.updates++;
    const ready = readyOriginsOf(this.informer.list(this.opts.namespace), this.opts.portName);
    const next = this.opts.mapOrigin ? ready.map(this.opts.mapOrigin) : ready;
    if (next.length === this.current.length && next.every((o, i) => o === this.current[i])) return;
    this.current = next;
    for (const listener of this.listeners) listener(next);
  }

  private failed(err: unknown): void {
    if (this.closed) return;
    this.opts.onError?.(err);
    this.failures++;
    const delay = Math.min(30_000, (this.opts.retryDelayMs ?? 500) * 2 ** Math.min(this.failures - 1, 6));
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.closed) void this.informer?.start().catch((e: unknown) => this.failed(e));
    }, delay);
    this.retryTimer.unref();
  }
}
