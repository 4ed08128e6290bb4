import { Type } from '@sinclair/typebox';
import { type ConfigOf, setting } from '@search-mesh/service-kit';
import { discoveryFor } from './discovery';
import type { PeerOptions } from './peer';

const Ms = Type.Integer({ minimum: 1, maximum: 600_000 });

/** Settings shared by all of a service's peers (SEARCH_MESH_<SERVICE>_PEER_*, _BREAKER_*, _RETRY_*). */
export function meshSettings() {
  return {
    peerTimeoutMs: setting('PEER_TIMEOUT_MS', Ms, { default: 1000, doc: 'longest single call to a peer' }),
    peerConnections: setting('PEER_CONNECTIONS', Type.Integer({ minimum: 1, maximum: 1024 }), { default: 16 }),
    breakerErrorThresholdPercent: setting('BREAKER_ERROR_THRESHOLD_PERCENT', Type.Integer({ minimum: 1, maximum: 100 }), { default: 50 }),
    breakerVolumeThreshold: setting('BREAKER_VOLUME_THRESHOLD', Type.Integer({ minimum: 1 }), { default: 10 }),
    breakerResetTimeoutMs: setting('BREAKER_RESET_TIMEOUT_MS', Ms, { default: 5000 }),
    breakerRollingWindowMs: setting('BREAKER_ROLLING_WINDOW_MS', Ms, { default: 10_000 }),
    peerProbeIntervalMs: setting('PEER_PROBE_INTERVAL_MS', Type.Integer({ minimum: 0, maximum: 600_000 }), {
      default: 1000,
      doc: "GET of each peer's health path this often, through its breaker (opens and closes it where calls are sparse); 0: no probes",
    }),
    peerProbeTimeoutMs: setting('PEER_PROBE_TIMEOUT_MS', Ms, { default: 250, doc: 'a probe not answered within this fails' }),
    peerProbeUnhealthyThreshold: setting('PEER_PROBE_UNHEALTHY_THRESHOLD', Type.Integer({ minimum: 1, maximum: 100 }), {
      default: 3,
      doc: 'failed probes in a row that open the breaker',
    }),
    peerProbePath: setting('PEER_PROBE_PATH', Type.String({ pattern: '^/' }), { default: '/healthz' }),
    retryMaxAttempts: setting('RETRY_MAX_ATTEMPTS', Type.Integer({ minimum: 1, maximum: 5 }), { default: 2 }),
    retryBudgetRatio: setting('RETRY_BUDGET_RATIO', Type.Number({ minimum: 0, maximum: 1 }), { default: 0.1 }),
    retryMinPerSecond: setting('RETRY_MIN_PER_SECOND', Type.Number({ minimum: 0 }), { default: 5 }),
    retryBackoffMs: setting('RETRY_BACKOFF_MS', Type.Integer({ minimum: 0, maximum: 10_000 }), { default: 5 }),
    discovery: setting('DISCOVERY', Type.Union([Type.Literal('static'), Type.Literal('kubernetes'), Type.Literal('auto')]), {
      default: 'static',
      doc: 'static: call each peer URL as is; kubernetes: balance over the ready endpoints of the Service the URL names (EndpointSlice watch); auto: kubernetes inside a pod',
    }),
    discoveryNamespace: setting('DISCOVERY_NAMESPACE', Type.String({ pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$' }), {
      default: '',
      doc: "namespace of the peers' Services when their URLs do not name one; empty: the pod's own",
    }),
    discoveryPortName: setting('DISCOVERY_PORT_NAME', Type.String({ minLength: 1 }), { default: 'http', doc: 'Service port to call, by name' }),
    discoveryKubeconfig: setting('DISCOVERY_KUBECONFIG', Type.String(), { default: '', doc: "kubeconfig file; empty: the pod's ServiceAccount" }),
  };
}
export type MeshConfig = ConfigOf<ReturnType<typeof meshSettings>>;

/**
 * A peer's URL setting, e.g. peerUrlSetting('ranking', 8084) reads SEARCH_MESH_<SERVICE>_RANKING_URL: one
 * URL, or several replicas' URLs comma-separated (balanced, with ejection of those that refuse connections).
 */
export function peerUrlSetting(peer: string, defaultPort: number) {
  const env = `${peer.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_URL`;
  return setting(env, Type.String({ pattern: '^https?://[^\\s,]+(, *https?://[^\\s,]+)*$' }), {
    default: `http://127.0.0.1:${defaultPort}`,
    doc: 'one URL, or replicas\' URLs comma-separated',
  });
}

export function peerOptions(config: MeshConfig, name: string, url: string): PeerOptions {
  return {
    name,
    url,
    discovery: discoveryFor(config, url),
    timeoutMs: config.peerTimeoutMs,
    connections: config.peerConnections,
    breaker: {
      errorThresholdPercentage: config.breakerErrorThresholdPercent,
      volumeThreshold: config.breakerVolumeThreshold,
      resetTimeoutMs: config.breakerResetTimeoutMs,
      rollingWindowMs: config.breakerRollingWindowMs,
    },
    probe: { path: config.peerProbePath, intervalMs: config.peerProbeIntervalMs, timeoutMs: config.peerProbeTimeoutMs, unhealthyThreshold: config.peerProbeUnhealthyThreshold },
    retry: {
      maxAttempts: config.retryMaxAttempts,
      budgetRatio: config.retryBudgetRatio,
      minPerSecond: config.retryMinPerSecond,
      backoffMs: config.retryBackoffMs,
    },
  };
}
