import { loadConfig } from '@search-mesh/service-kit';
import { OutlierDetector, StaticEndpointSource, choose, connectionFailure, discoveryFor, peerUrls, peerUrlSetting } from '../../src';

describe('outlier ejection', () => {
  const detector = () => new OutlierDetector({ baseMs: 100, maxMs: 1000 });

  it('ejects for a backoff that doubles with each ejection in a row, up to the cap', () => {
    const d = detector();
    expect(d.eject('a', 0)).toBe(100);
    expect(d.isEjected('a', 99)).toBe(true);
    expect(d.isEjected('a', 100)).toBe(false); // back in when the backoff ends
    expect(d.eject('a', 100)).toBe(300);
    expect(d.eject('a', 300)).toBe(700);
    expect(d.eject('a', 700)).toBe(1500);
    expect(d.eject('a', 1500)).toBe(2500); // capped at maxMs
    expect(d.isEjected('b', 0)).toBe(false);
  });

  it('counts failures while already ejected (requests that were in flight together) as one ejection', () => {
    const d = detector();
    d.eject('a', 0);
    expect(d.eject('a', 50)).toBe(100);
    expect(d.eject('a', 100)).toBe(300); // the second ejection, not the third
  });

  it('forgets the history when the endpoint answers', () => {
    const d = detector();
    d.eject('a', 0);
    d.eject('a', 100);
    d.succeeded('a');
    expect(d.isEjected('a', 150)).toBe(false);
    expect(d.eject('a', 300)).toBe(400); // the base again
  });

  it('forgets endpoints that left the set', () => {
    const d = detector();
    d.eject('a', 0);
    d.eject('b', 0);
    d.retain(['b']);
    expect(d.isEjected('a', 1)).toBe(false);
    expect(d.isEjected('b', 1)).toBe(true);
  });
});

describe('balancing choice', () => {
  const seq = (...xs: number[]) => {
    let i = 0;
    return () => xs[i++ % xs.length]!;
  };

  it('takes the less loaded of two random candidates', () => {
    const load: Record<string, number> = { a: 5, b: 1, c: 3 };
    expect(choose(['a', 'b', 'c'], () => true, (x) => load[x]!, seq(0, 0))).toBe('b'); // a vs b
    expect(choose(['a', 'b', 'c'], () => true, (x) => load[x]!, seq(0.9, 0))).toBe('c'); // c vs a
  });

  it('never picks an ejected endpoint while another is usable', () => {
    const picked = new Set<string>();
    for (let i = 0; i < 500; i++) picked.add(choose(['a', 'b', 'c'], (x) => x !== 'b', () => 0)!);
    expect([...picked].sort()).toEqual(['a', 'c']);
    expect(choose(['a', 'b'], (x) => x === 'b', () => 0)).toBe('b');
  });

  it('falls back to all endpoints when every one is ejected, and to none when there are none', () => {
    expect(['a', 'b']).toContain(choose(['a', 'b'], () => false, () => 0));
    expect(choose([], () => true, () => 0)).toBeUndefined();
  });

  it('spreads evenly over equally loaded endpoints', () => {
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 3000; i++) counts[choose(['a', 'b', 'c'], () => true, () => 0)!]!++;
    for (const n of Object.values(counts)) expect(n).toBeGreaterThan(800);
  });
});

describe('connection failures', () => {
  const err = (code: string) => Object.assign(new Error(code), { code });

  it('tells a connection never made (safe to send elsewhere) from one lost after sending', () => {
    expect(connectionFailure(err('ECONNREFUSED'))).toBe('connect');
    expect(connectionFailure(err('UND_ERR_CONNECT_TIMEOUT'))).toBe('connect');
    expect(connectionFailure(err('ECONNRESET'))).toBe('lost');
    expect(connectionFailure(err('UND_ERR_SOCKET'))).toBe('lost');
    expect(connectionFailure(new Error('x', { cause: err('ECONNREFUSED') }))).toBe('connect');
    expect(connectionFailure(err('UND_ERR_ABORTED'))).toBeUndefined(); // our own deadline
    expect(connectionFailure(new Error('plain'))).toBeUndefined();
    expect(connectionFailure(undefined)).toBeUndefined();
  });
});

describe('several URLs for one peer', () => {
  it('lists the replicas of a comma-separated setting, which must share one path prefix', () => {
    expect(peerUrls('http://127.0.0.1:1')).toEqual(['http://127.0.0.1:1']);
    expect(peerUrls('http://a:1/api, http://b:2/api/')).toEqual(['http://a:1/api', 'http://b:2/api/']);
    expect(() => peerUrls('http://a:1/api,http://b:2/other')).toThrow(/path prefix/);
    expect(new StaticEndpointSource('http://a:1,http://b:2,http://a:1').origins).toEqual(['http://a:1', 'http://b:2']);
  });

  it('accepts a list in the peer URL setting and rejects a malformed one', () => {
    const settings = { url: peerUrlSetting('orchestrator', 8081) };
    expect(loadConfig('storefront', settings, { SEARCH_MESH_STOREFRONT_ORCHESTRATOR_URL: 'http://a:1,http://b:2' }).url).toBe('http://a:1,http://b:2');
    expect(() => loadConfig('storefront', settings, { SEARCH_MESH_STOREFRONT_ORCHESTRATOR_URL: 'http://a:1,,http://b:2' })).toThrow();
    expect(() => loadConfig('storefront', settings, { SEARCH_MESH_STOREFRONT_ORCHESTRATOR_URL: 'http://a:1,ftp://b' })).toThrow();
  });

  it('names the Service from the first URL under Kubernetes discovery', () => {
    const settings = { discovery: 'kubernetes' as const, discoveryNamespace: 'shop', discoveryPortName: 'http', discoveryKubeconfig: '' };
    expect(discoveryFor(settings, 'http://ranking:8084,http://other:8084')).toMatchObject({ service: 'ranking', namespace: 'shop' });
  });
});
