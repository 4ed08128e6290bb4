import { Counter, Gauge, type Registry } from 'prom-client';

/** Query-understanding metrics: what the pipeline decided, and which rules and model are live. */
export class QuMetrics {
  readonly plans: Counter<'intent' | 'spelling'>;
  readonly ruleReloads: Counter<'source' | 'outcome'>;
  readonly rulesInfo: Gauge<'version'>;
  readonly modelInfo: Gauge<'version' | 'lexicon'>;
  readonly planCache: Counter<'result'>;
  private readonly cacheHits: { inc(): void };
  private readonly cacheMisses: { inc(): void };

  constructor(registry: Registry) {
    this.plans = new Counter({ name: 'qu_plans_total', help: 'Plans made, by intent and spelling action', labelNames: ['intent', 'spelling'], registers: [registry] });
    this.ruleReloads = new Counter({ name: 'qu_rule_reloads_total', help: 'Rule-set reloads, by source and outcome', labelNames: ['source', 'outcome'], registers: [registry] });
    this.rulesInfo = new Gauge({ name: 'qu_rules_info', help: 'The rule set in use (value: number of rules)', labelNames: ['version'], registers: [registry] });
    this.modelInfo = new Gauge({ name: 'qu_model_info', help: 'The category model and lexicon in use (always 1)', labelNames: ['version', 'lexicon'], registers: [registry] });
    this.planCache = new Counter({ name: 'qu_plan_cache_total', help: 'Plans from the plan cache (hit) or made (miss)', labelNames: ['result'], registers: [registry] });
    this.cacheHits = this.planCache.labels('hit');
    this.cacheMisses = this.planCache.labels('miss');
  }

  private readonly planChildren = new Map<string, { inc(): void }>();

  /** Counts a plan; the labelled child is looked up once per (intent, spelling), not hashed per request. */
  planMade(intent: string, spelling: string): void {
    const key = `${intent}|${spelling}`;
    let child = this.planChildren.get(key);
    if (child === undefined) {
      child = this.plans.labels({ intent, spelling });
      this.planChildren.set(key, child);
    }
    child.inc();
  }

  planCacheHit(): void {
    this.cacheHits.inc();
  }

  planCacheMiss(): void {
    this.cacheMisses.inc();
  }

  rulesInUse(version: string, count: number): void {
    this.rulesInfo.reset();
    this.rulesInfo.set({ version }, count);
  }
}
