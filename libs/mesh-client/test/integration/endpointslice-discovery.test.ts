/**
 * Client-side load balancing against a real Kubernetes API server (etcd + kube-apiserver built by
 * test/helm/tools.sh): EndpointSlices are created and patched through the API, the "pods" are real HTTP
 * servers on loopback addresses (127.0.0.2, 127.0.0.3, ...: all of 127/8 is loopback), and the peer
 * watches the slices with the least privilege the orchestrator chart grants (get/list/watch endpointslices).
 * The API server refuses loopback addresses in EndpointSlices, so the slices carry documentation addresses
 * (192.0.2.x, RFC 5737) that the discovery's mapOrigin hook turns into the pods' loopback addresses
 * before any connection is made; an unknown address fails the test instead of being dialled.
 */
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { Registry } from 'prom-client';
import { freePort } from '@search-mesh/testing';
import { EndpointPool, MeshClient, type Peer, type PeerOptions, discoveryFor } from '../../src';
import { type KubeApiServer, kubeBinaries, startKubeApiServer } from './kube-apiserver';

const NAMESPACE = 'mesh-test';
const SERVICE = 'ranking';

/** One "pod": an HTTP server on its own loopback address that counts what reaches it. */
class Pod {
  hits = 0;
  /** The address the EndpointSlice lists for this pod: 127.0.0.N is published as 192.0.2.N. */
  get sliceAddress(): string {
    return this.address.replace(/^127\.0\.0\./, '192.0.2.');
  }
  private server: Server;
  constructor(
    readonly address: string,
    readonly port: number,
  ) {
    this.server = createServer((_req, res) => {
      this.hits++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ pod: address }));
    });
  }
  get origin(): string {
    return `http://${this.address}:${this.port}`;
  }
  async start(): Promise<this> {
    this.server.listen(this.port, this.address);
    await once(this.server, 'listening');
    return this;
  }
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

async function startPods(count: number, port: number, first = 2): Promise<Pod[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => new Pod(`127.0.0.${first + i}`, port).start()));
}

function peerOptions(url: string, extra: Partial<PeerOptions> = {}): PeerOptions {
  return {
    name: SERVICE,
    url,
    timeoutMs: 2000,
    connections: 4,
    breaker: { errorThresholdPercentage: 50, volumeThreshold: 1000, resetTimeoutMs: 1000, rollingWindowMs: 10_000 },
    retry: { maxAttempts: 1, budgetRatio: 0, minPerSecond: 0, backoffMs: 0 },
    ...extra,
  };
}

async function callMany(peer: Peer, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await peer.call({ method: 'GET', path: '/v1/ping' });
}

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('EndpointPool (per-endpoint keep-alive pools)', () => {
  let pods: Pod[];
  let pool: EndpointPool;
  beforeAll(async () => {
    pods = await startPods(3, await freePort(), 20);
  });
  afterAll(async () => {
    await pool?.close();
    await Promise.all(pods.map((p) => p.stop()));
  });

  it('spreads requests over its endpoints and sends none to an endpoint once it is dropped', async () => {
    pool = new EndpointPool('http://127.0.0.1:9', { connections: 2, pipelining: 1 });
    pool.update(pods.map((p) => p.origin));
    for (let i = 0; i < 90; i++) await (await pool.request({ method: 'GET', path: '/' })).body.text();
    for (const pod of pods) expect(pod.hits).toBeGreaterThan(10);

    pool.update([pods[0]!.origin, pods[2]!.origin]); // synchronous: pods[1] is out before it returns
    const before = pods[1]!.hits;
    await Promise.all(Array.from({ length: 60 }, async () => (await pool.request({ method: 'GET', path: '/' })).body.text()));
    expect(pods[1]!.hits).toBe(before);
    expect(pool.origins.sort()).toEqual([pods[0]!.origin, pods[2]!.origin].sort());
  });

  it('sends to the fallback (the Service URL) while no endpoint is known', async () => {
    const fallback = new EndpointPool(pods[1]!.origin, { connections: 1 });
    try {
      const hits = pods[1]!.hits;
      await (await fallback.request({ method: 'GET', path: '/' })).body.text();
      expect(pods[1]!.hits).toBe(hits + 1);
      fallback.update([pods[0]!.origin]);
      const first = pods[0]!.hits;
      await (await fallback.request({ method: 'GET', path: '/' })).body.text();
      expect(pods[0]!.hits).toBe(first + 1);
      fallback.update([]);
      await (await fallback.request({ method: 'GET', path: '/' })).body.text();
      expect(pods[1]!.hits).toBe(hits + 2);
    } finally {
      await fallback.close();
    }
  });
});

const binaries = kubeBinaries();
const describeWithApiServer = 'missing' in binaries ? describe.skip : describe;
if ('missing' in binaries) {
  // eslint-disable-next-line no-console
  console.warn(`SKIPPED: EndpointSlice discovery against a real API server: ${binaries.missing}`);
}

describeWithApiServer('EndpointSlice discovery against a real kube-apiserver', () => {
  let kube: KubeApiServer;
  let pods: Pod[];
  let extraPod: Pod;
  let port: number;
  let mesh: MeshClient;
  let registry: Registry;
  let peer: Peer;
  const errors: unknown[] = [];

  const slicePath = (name = '') => `/apis/discovery.k8s.io/v1/namespaces/${NAMESPACE}/endpointslices${name ? `/${name}` : ''}`;
  const slice = (name: string, members: Pod[], conditions: Array<Record<string, boolean>> = []) => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name,
      labels: { 'kubernetes.io/service-name': SERVICE, 'endpointslice.kubernetes.io/managed-by': 'search-mesh-test' },
    },
    addressType: 'IPv4',
    ports: [{ name: 'http', port, protocol: 'TCP' }],
    endpoints: members.map((pod, i) => ({
      addresses: [pod.sliceAddress],
      conditions: { ready: true, serving: true, terminating: false, ...conditions[i] },
      targetRef: { kind: 'Pod', namespace: NAMESPACE, name: `ranking-${pod.address.replace(/\./g, '-')}` },
    })),
  });
  /** Sets one endpoint's conditions with a JSON patch: one MODIFIED watch event. */
  const setConditions = (sliceName: string, index: number, conditions: Record<string, boolean>) =>
    kube.api('PATCH', slicePath(sliceName), [{ op: 'replace', path: `/endpoints/${index}/conditions`, value: { serving: true, ...conditions } }], 'application/json-patch+json');

  beforeAll(async () => {
    kube = await startKubeApiServer(binaries as { etcd: string; apiserver: string }, NAMESPACE);
    port = await freePort();
    pods = await startPods(3, port, 2); // 127.0.0.2-4
    extraPod = (await startPods(1, port, 5))[0]!; // 127.0.0.5
    await kube.api('POST', slicePath(), slice('ranking-a', pods));

    registry = new Registry();
    mesh = new MeshClient(registry);
    // The peer URL names the Service (and namespace), as the chart sets it; discovery reads with the
    // "discovery" user, which holds only the chart's Role.
    const url = `http://${SERVICE}.${NAMESPACE}:${port}`;
    const discovery = discoveryFor(
      { discovery: 'kubernetes', discoveryNamespace: '', discoveryPortName: 'http', discoveryKubeconfig: kube.kubeconfig('discovery') },
      url,
    );
    expect(discovery).toMatchObject({ mode: 'kubernetes', service: SERVICE, namespace: NAMESPACE, portName: 'http' });
    if (discovery.mode === 'kubernetes') {
      discovery.onError = (err) => errors.push(err);
      discovery.mapOrigin = (origin) => {
        const match = /^http:\/\/192\.0\.2\.(\d+):(\d+)$/.exec(origin);
        if (!match) throw new Error(`unexpected endpoint ${origin}`);
        return `http://127.0.0.${match[1]}:${match[2]}`;
      };
    }
    peer = mesh.add(peerOptions(url, { discovery }));
    await mesh.ready();
  }, 180_000);

  afterAll(async () => {
    await mesh?.close();
    await Promise.all([...(pods ?? []), ...(extraPod ? [extraPod] : [])].map((p) => p.stop()));
    await kube?.stop();
  });

  const updates = () => (peer.discovery as unknown as { updates: number }).updates;

  it('lists the ready endpoints and spreads requests across them', async () => {
    expect(peer.endpoints).toBe(3);
    await callMany(peer, 90);
    for (const pod of pods) expect(pod.hits).toBeGreaterThan(10);
    expect(await registry.getSingleMetricAsString('mesh_peer_endpoints')).toContain(`mesh_peer_endpoints{peer="${SERVICE}"} 3`);
    expect(errors).toEqual([]);
  });

  it('stops sending to a pod within one watch event of it turning not ready', async () => {
    const eventsBefore = updates();
    await setConditions('ranking-a', 1, { ready: false });
    await until('the endpoint to be dropped', () => peer.endpoints === 2);
    expect(updates()).toBe(eventsBefore + 1); // the very event that carried ready=false dropped it
    const hits = pods[1]!.hits;
    await callMany(peer, 60);
    await Promise.all(Array.from({ length: 30 }, () => peer.call({ method: 'GET', path: '/v1/ping' })));
    expect(pods[1]!.hits).toBe(hits);
    expect(pods[0]!.hits + pods[2]!.hits).toBeGreaterThan(0);
  });

  it('takes the pod back when it is ready again', async () => {
    await setConditions('ranking-a', 1, { ready: true });
    await until('the endpoint to return', () => peer.endpoints === 3);
    const hits = pods[1]!.hits;
    await callMany(peer, 60);
    expect(pods[1]!.hits).toBeGreaterThan(hits);
  });

  it('drops a terminating pod at once, even while it still reports ready', async () => {
    const eventsBefore = updates();
    await setConditions('ranking-a', 2, { ready: true, terminating: true });
    await until('the terminating endpoint to be dropped', () => peer.endpoints === 2);
    expect(updates()).toBe(eventsBefore + 1);
    const hits = pods[2]!.hits;
    await callMany(peer, 60);
    expect(pods[2]!.hits).toBe(hits);
  });

  it('needs no more than the chart\'s Role: the discovery user can read nothing else', async () => {
    const { Agent, request } = await import('undici');
    const dispatcher = new Agent({ connect: { rejectUnauthorized: false } });
    const status = async (path: string) => {
      const res = await request(kube.url + path, { dispatcher, headers: { authorization: `Bearer ${kube.discoveryToken}` } });
      await res.body.text();
      return res.statusCode;
    };
    expect(await status(slicePath())).toBe(200);
    expect(await status(`/api/v1/namespaces/${NAMESPACE}/pods`)).toBe(403);
    expect(await status(`/api/v1/namespaces/${NAMESPACE}/secrets`)).toBe(403);
    expect(await status('/apis/discovery.k8s.io/v1/namespaces/default/endpointslices')).toBe(403);
    await dispatcher.close();
  });

  it('follows slices being added and deleted', async () => {
    await kube.api('POST', slicePath(), slice('ranking-b', [extraPod]));
    await until('the new slice', () => peer.endpoints === 3);
    await callMany(peer, 60);
    expect(extraPod.hits).toBeGreaterThan(0);

    const eventsBefore = updates();
    await kube.api('DELETE', slicePath('ranking-b'));
    await until('the deleted slice to be dropped', () => peer.endpoints === 2);
    expect(updates()).toBe(eventsBefore + 1);
    const hits = extraPod.hits;
    await callMany(peer, 60);
    expect(extraPod.hits).toBe(hits);
    expect(await registry.getSingleMetricAsString('mesh_peer_endpoints')).toContain(`mesh_peer_endpoints{peer="${SERVICE}"} 2`);
    expect(errors).toEqual([]);
  });
});
