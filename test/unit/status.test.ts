import { parsePrometheus } from '../../scripts/status/prometheus';
import { allHealthy, breakerStates, formatStatus, freshnessFrom, type MeshStatus, rankingModelFromMetrics, topicLag } from '../../scripts/status/report';

const METRICS = `# HELP mesh_peer_breaker_state Breaker state per peer
# TYPE mesh_peer_breaker_state gauge
mesh_peer_breaker_state{service="orchestrator",peer="ranking"} 2
mesh_peer_breaker_state{service="orchestrator",peer="facet"} 0
mesh_peer_breaker_state{service="orchestrator",peer="autocomplete"} 1
ranking_model_info{service="ranking",name="ltr-gbdt",version="2026-11-20.3"} 1
feature_store_freshness_seconds{service="ranking"} 0.42
feature_pipeline_event_age_seconds_sum{service="feature-pipeline"} 12.5
feature_pipeline_event_age_seconds_count{service="feature-pipeline"} 50
odd_label{a="say \\"hi\\"",b="x\\\\y"} +Inf
not a sample line
`;

describe('status: Prometheus text', () => {
  const samples = parsePrometheus(METRICS);

  it('reads names, labels (with escapes) and values, skipping comments and junk', () => {
    expect(samples).toHaveLength(8);
    expect(samples.find((s) => s.name === 'odd_label')).toEqual({ name: 'odd_label', labels: { a: 'say "hi"', b: 'x\\y' }, value: Infinity });
  });

  it('names breaker states per peer', () => {
    expect(breakerStates(samples)).toEqual([
      { peer: 'ranking', state: 'open' },
      { peer: 'facet', state: 'closed' },
      { peer: 'autocomplete', state: 'half-open' },
    ]);
  });

  it('reads the ranking model and freshness', () => {
    expect(rankingModelFromMetrics(samples)).toBe('ltr-gbdt 2026-11-20.3');
    expect(rankingModelFromMetrics([])).toBeUndefined();
    expect(freshnessFrom(samples, samples)).toEqual({ featureStoreSeconds: 0.42, pipelineEvents: 50, pipelineMeanAgeSeconds: 0.25 });
    expect(freshnessFrom([], [])).toEqual({});
  });
});

describe('status: consumer lag', () => {
  const offsets = [
    { partition: 0, high: '100', low: '0' },
    { partition: 1, high: '50', low: '10' },
  ];

  it('adds newest minus committed over partitions; an uncommitted partition counts from its low mark', () => {
    expect(topicLag(offsets, [{ partition: 0, offset: '90' }, { partition: 1, offset: '50' }])).toBe(10);
    expect(topicLag(offsets, [{ partition: 0, offset: '100' }, { partition: 1, offset: '-1' }])).toBe(40);
  });

  it('is unknown when the group committed nothing on the topic', () => {
    expect(topicLag(offsets, [{ partition: 0, offset: '-1' }, { partition: 1, offset: '-1' }])).toBeUndefined();
  });
});

describe('status: report', () => {
  const base: MeshStatus = {
    namespace: 'search_mesh',
    services: [
      { name: 'orchestrator', url: 'http://127.0.0.1:8080', alive: true, ready: 'ready', failing: [], breakers: [{ peer: 'ranking', state: 'closed' }] },
      { name: 'ranking', url: 'http://127.0.0.1:8084', alive: true, ready: 'ready', failing: [], breakers: [] },
    ],
    rankingModel: { model: 'ltr-gbdt 3', source: 'ranking_model_info of the ranking service' },
    index: { alias: 'search_mesh_products', indices: ['search_mesh_products_v1'], count: 50000 },
    consumers: [{ group: 'search_mesh.indexer', state: 'Stable', topics: [{ topic: 'search_mesh.catalog.v1', lag: 1200 }] }],
    freshness: { featureStoreSeconds: 0.42, pipelineEvents: 50, pipelineMeanAgeSeconds: 0.25 },
  };

  it('says each part in a line', () => {
    const text = formatStatus(base);
    expect(text).toContain('orchestrator  http://127.0.0.1:8080  ready  breakers: ranking closed');
    expect(text).toContain('ltr-gbdt 3 (ranking_model_info of the ranking service)');
    expect(text).toContain('search_mesh_products → search_mesh_products_v1: 50,000 documents');
    expect(text).toContain('search_mesh.indexer  search_mesh.catalog.v1  1,200 behind');
    expect(text).toContain('420 ms old');
    expect(allHealthy(base)).toBe(true);
  });

  it('is unhealthy with a service down, not ready, or a breaker not closed, and says which', () => {
    const down = { ...base, services: [{ ...base.services[0]!, breakers: [{ peer: 'ranking', state: 'open' as const }] }, { ...base.services[1]!, alive: false, ready: 'down' as const }] };
    expect(allHealthy(down)).toBe(false);
    expect(formatStatus(down)).toMatch(/breakers: ranking OPEN[\s\S]*ranking\s+http:\/\/127.0.0.1:8084 {2}DOWN/);
    const notReady = { ...base, services: [{ ...base.services[0]!, ready: 'not_ready' as const, failing: ['elasticsearch: no answer within 1000 ms'] }] };
    expect(allHealthy(notReady)).toBe(false);
    expect(formatStatus(notReady)).toContain('NOT READY (elasticsearch: no answer within 1000 ms)');
  });
});
