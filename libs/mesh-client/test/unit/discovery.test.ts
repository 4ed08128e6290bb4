import { loadConfig } from '@search-mesh/service-kit';
import {
  StaticEndpointSource,
  discoveryFor,
  isReady,
  meshSettings,
  peerOptions,
  readyOrigins,
  readyOriginsOf,
  serviceFromUrl,
  slicePort,
} from '../../src';

const slice = (endpoints: Array<{ ip: string; ready?: boolean | null; terminating?: boolean | null }>, ports = [{ name: 'http', port: 8084 }]) => ({
  addressType: 'IPv4',
  ports: ports.map((p) => ({ ...p, protocol: 'TCP' })),
  endpoints: endpoints.map((e) => ({ addresses: [e.ip], conditions: { ready: e.ready, terminating: e.terminating } })),
});

describe('EndpointSlice rules', () => {
  it('takes an endpoint while ready is true or unknown, and never while terminating', () => {
    expect(isReady({ ready: true })).toBe(true);
    expect(isReady({})).toBe(true); // nil ready: unknown, treated as ready (API convention)
    expect(isReady(undefined)).toBe(true);
    expect(isReady({ ready: null })).toBe(true);
    expect(isReady({ ready: false })).toBe(false);
    expect(isReady({ ready: true, terminating: true })).toBe(false);
  });

  it('picks the named port, or the only TCP port', () => {
    expect(slicePort(slice([], [{ name: 'metrics', port: 9000 }, { name: 'http', port: 8084 }]), 'http')).toBe(8084);
    expect(slicePort(slice([], [{ name: 'web', port: 8080 }]), 'http')).toBe(8080);
    expect(slicePort(slice([], [{ name: 'a', port: 1 }, { name: 'b', port: 2 }]), 'http')).toBeUndefined();
  });

  it('lists ready origins across slices, deduplicated and sorted, IPv6 bracketed, FQDN skipped', () => {
    const a = slice([{ ip: '10.0.0.2', ready: true }, { ip: '10.0.0.1' }, { ip: '10.0.0.3', ready: false }]);
    const b = slice([{ ip: '10.0.0.1', ready: true }, { ip: '10.0.0.4', ready: true, terminating: true }]);
    expect(readyOrigins(a, 'http')).toEqual(['http://10.0.0.2:8084', 'http://10.0.0.1:8084']);
    expect(readyOriginsOf([a, b], 'http')).toEqual(['http://10.0.0.1:8084', 'http://10.0.0.2:8084']);
    expect(readyOrigins({ ...slice([{ ip: 'fd00::5' }]), addressType: 'IPv6' }, 'http')).toEqual(['http://[fd00::5]:8084']);
    expect(readyOrigins({ ...slice([{ ip: 'pod.example.com' }]), addressType: 'FQDN' }, 'http')).toEqual([]);
    expect(readyOrigins({ addressType: 'IPv4', endpoints: null, ports: null }, 'http')).toEqual([]);
  });

  it('reads the Service and namespace from the peer URL', () => {
    expect(serviceFromUrl('http://search-mesh-ranking:8084')).toEqual({ service: 'search-mesh-ranking' });
    expect(serviceFromUrl('http://ranking.shop:8084')).toEqual({ service: 'ranking', namespace: 'shop' });
    expect(serviceFromUrl('http://ranking.shop.svc.cluster.local:8084/x')).toEqual({ service: 'ranking', namespace: 'shop' });
  });
});

describe('discovery settings', () => {
  const settings = { discovery: 'static' as const, discoveryNamespace: '', discoveryPortName: 'http', discoveryKubeconfig: '' };

  it('defaults to the static URL, as before', () => {
    const config = loadConfig('orchestrator', meshSettings(), {});
    expect(config.discovery).toBe('static');
    expect(peerOptions(config, 'ranking', 'http://127.0.0.1:8084').discovery).toEqual({ mode: 'static' });
    expect(new StaticEndpointSource('http://127.0.0.1:8084/base').origins).toEqual(['http://127.0.0.1:8084']);
  });

  it('watches the Service the URL names when DISCOVERY=kubernetes', () => {
    const config = loadConfig('orchestrator', meshSettings(), {
      SEARCH_MESH_ORCHESTRATOR_DISCOVERY: 'kubernetes',
      SEARCH_MESH_ORCHESTRATOR_DISCOVERY_NAMESPACE: 'search',
      SEARCH_MESH_ORCHESTRATOR_DISCOVERY_KUBECONFIG: '/etc/kube/config',
    });
    expect(peerOptions(config, 'ranking', 'http://search-mesh-ranking:8084').discovery).toEqual({
      mode: 'kubernetes',
      service: 'search-mesh-ranking',
      namespace: 'search',
      portName: 'http',
      kubeconfig: '/etc/kube/config',
    });
    // A namespace in the URL wins over the setting.
    expect(discoveryFor({ ...settings, discovery: 'kubernetes', discoveryNamespace: 'search' }, 'http://ranking.other:8084')).toMatchObject({ namespace: 'other' });
  });

  it('auto is kubernetes only inside a pod', () => {
    expect(discoveryFor({ ...settings, discovery: 'auto' }, 'http://ranking:8084', {}).mode).toBe('static');
    expect(discoveryFor({ ...settings, discovery: 'auto', discoveryNamespace: 'x' }, 'http://ranking:8084', { KUBERNETES_SERVICE_HOST: '10.0.0.1' })).toMatchObject({
      mode: 'kubernetes',
      service: 'ranking',
      namespace: 'x',
    });
  });

  it('rejects a bad mode with the variable named', () => {
    expect(() => loadConfig('orchestrator', meshSettings(), { SEARCH_MESH_ORCHESTRATOR_DISCOVERY: 'consul' })).toThrow(/SEARCH_MESH_ORCHESTRATOR_DISCOVERY="consul" is invalid/);
  });
});
