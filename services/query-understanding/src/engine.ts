/**
 * The library entry point: a ready query-understanding engine from the committed artifacts, for the HTTP
 * service and for any process that wants plans in-process (the orchestrator's tests, benchmarks, the
 * evaluation script).
 *
 *   const engine = await createEngine();
 *   const plan = await engine.understand('samsung 65 inch tv under 800');
 *   engine.rules.replace(ruleSet);           // hot swap of merchandiser rules
 */
import type { QueryPlan, QueryRuleSet } from '@search-mesh/contracts';
import { readLexicon, DEFAULT_MODEL_DIR } from './adapters/artifacts';
import { OnnxCategoryClassifier } from './adapters/onnx-classifier';
import { DEFAULT_RULES } from './domain/default-rules';
import type { LexiconData } from './domain/lexicon';
import { RuleStore } from './domain/rule-store';
import { DEFAULT_SPELLING_OPTIONS, SpellingCorrector, type SpellingOptions } from './domain/spelling';
import { type CategoryClassifier, DEFAULT_POLICY, type PlanPolicy, QueryUnderstanding } from './domain/understand';
import { Vocabulary } from './domain/vocabulary';

export interface EngineOptions {
  modelDir?: string;
  rules?: QueryRuleSet;
  policy?: Partial<PlanPolicy>;
  spelling?: Partial<SpellingOptions>;
  /** Use this lexicon instead of the model directory's (evaluation ablations). */
  lexicon?: LexiconData;
  /** Use this classifier instead of the model directory's ONNX model (tests of the HTTP layer). */
  classifier?: CategoryClassifier & { close(): Promise<void> };
}

export interface Engine {
  understand(query: string, topCategories?: number): Promise<QueryPlan>;
  readonly pipeline: QueryUnderstanding;
  readonly rules: RuleStore;
  readonly classifier: CategoryClassifier;
  readonly vocabulary: Vocabulary;
  readonly speller: SpellingCorrector;
  close(): Promise<void>;
}

export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  const modelDir = options.modelDir ?? DEFAULT_MODEL_DIR;
  const vocabulary = new Vocabulary(options.lexicon ?? readLexicon(modelDir));
  const classifier = options.classifier ?? (await OnnxCategoryClassifier.load(modelDir));
  const rules = new RuleStore(options.rules ?? DEFAULT_RULES);
  const speller = new SpellingCorrector(vocabulary.wordCounts(), (word) => vocabulary.isKnown(word), { ...DEFAULT_SPELLING_OPTIONS, ...options.spelling });
  const pipeline = new QueryUnderstanding(vocabulary, speller, () => rules.current, classifier, { ...DEFAULT_POLICY, ...options.policy });
  return {
    understand: (query, top) => pipeline.understand(query, top),
    pipeline,
    rules,
    classifier,
    vocabulary,
    speller,
    close: () => classifier.close(),
  };
}
