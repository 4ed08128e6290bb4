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
import { readEnglish, readLeaves, readLexicon, DEFAULT_MODEL_DIR } from './adapters/artifacts';
import { EnglishWords } from './domain/english';
import { TsCategoryClassifier } from './adapters/ts-classifier';
import { DEFAULT_RULES } from './domain/default-rules';
import { LeafCategories } from './domain/leaves';
import type { LexiconData } from './domain/lexicon';
import { RuleStore } from './domain/rule-store';
import { DEFAULT_SPELLING_OPTIONS, SpellingCorrector, type SpellingOptions } from './domain/spelling';
import { type CategoryClassifier, DEFAULT_POLICY, type PlanPolicy, QueryUnderstanding } from './domain/understand';
import { Vocabulary } from './domain/vocabulary';

/**
 * Which runtime computes the category model: `typescript` (default: the forward pass in TypeScript from
 * the same weights, synchronous) or `onnxruntime` (onnxruntime-node, the reference; its async run hops
 * to the libuv thread pool).
 */
export type ClassifierRuntime = 'typescript' | 'onnxruntime';
export const CLASSIFIER_RUNTIMES: readonly ClassifierRuntime[] = ['typescript', 'onnxruntime'];

export interface EngineOptions {
  modelDir?: string;
  runtime?: ClassifierRuntime;
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
  /** The plan in one synchronous call, where the runtime is synchronous (`typescript`); else undefined. */
  readonly understandSync: ((query: string, topCategories?: number) => QueryPlan) | undefined;
  readonly runtime: ClassifierRuntime | 'custom';
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
  const runtime = options.runtime ?? 'typescript';
  const classifier = options.classifier ?? (await loadClassifier(modelDir, runtime));
  const rules = new RuleStore(options.rules ?? DEFAULT_RULES);
  const spelling = { ...DEFAULT_SPELLING_OPTIONS, ...options.spelling };
  const englishData = spelling.englishMaxSize > 0 ? readEnglish(modelDir) : undefined;
  const english = englishData !== undefined ? new EnglishWords(englishData, spelling.englishMaxSize) : undefined;
  const speller = new SpellingCorrector(vocabulary.wordCounts(), (word) => vocabulary.isKnown(word), spelling, {
    splitOf: (token) => vocabulary.splitOf(token),
    bigramCount: (a, b) => vocabulary.bigramCount(a, b),
    count: (word) => vocabulary.count(word),
    ...(english !== undefined ? { isEnglish: (word: string) => english.has(word) } : {}),
  });
  const leafData = options.classifier === undefined ? readLeaves(modelDir) : undefined;
  const labels = (classifier as { manifest?: { labels: { lvl1: string[]; lvl2: string[] } } }).manifest?.labels;
  const leaves = leafData !== undefined && labels !== undefined ? new LeafCategories(leafData, labels) : undefined;
  const pipeline = new QueryUnderstanding(vocabulary, speller, () => rules.current, classifier, { ...DEFAULT_POLICY, ...options.policy }, leaves);
  return {
    understand: (query, top) => pipeline.understand(query, top),
    understandSync: pipeline.synchronous ? (query, top) => pipeline.understandSync(query, top) : undefined,
    runtime: options.classifier === undefined ? runtime : 'custom',
    pipeline,
    rules,
    classifier,
    vocabulary,
    speller,
    close: () => classifier.close(),
  };
}

async function loadClassifier(modelDir: string, runtime: ClassifierRuntime): Promise<CategoryClassifier & { close(): Promise<void> }> {
  if (runtime === 'typescript') return TsCategoryClassifier.load(modelDir);
  // Loaded only when chosen: the native module then never loads in a TypeScript-runtime process.
  const { OnnxCategoryClassifier } = await import('./adapters/onnx-classifier');
  return OnnxCategoryClassifier.load(modelDir);
}
