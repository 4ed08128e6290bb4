/**
 * Runs the ONNX classifier in a plain Node process and prints its top categories for the texts given as
 * JSON in argv[2] (and, with `--rows`, the full probability rows of both heads). Tests call it as a child
 * process: onnxruntime-node's native module binds to the first JavaScript realm that loads it, and jest
 * gives every test file a realm of its own.
 */
import { DEFAULT_MODEL_DIR } from '../../src/adapters/artifacts';
import { OnnxCategoryClassifier } from '../../src/adapters/onnx-classifier';
import { featurise } from '../../src/domain/features';
import { normaliseText } from '../../src/domain/normalise';

void (async () => {
  const texts = JSON.parse(process.argv[2] ?? '[]') as string[];
  const classifier = await OnnxCategoryClassifier.load(process.argv[3] && !process.argv[3].startsWith('--') ? process.argv[3] : DEFAULT_MODEL_DIR);
  const features = texts.map((t) => featurise(normaliseText(t).tokens));
  const single = [];
  for (const f of features) {
    const { lvl1, lvl2 } = await classifier.classify(f, 3);
    single.push({ lvl1, lvl2 });
  }
  const batch = (await classifier.classifyBatch(features, 3)).map(({ lvl1, lvl2 }) => ({ lvl1, lvl2 }));
  const rows = process.argv.includes('--rows')
    ? (await classifier.classifyBatch(features, 1)).map((s) => [Array.from(s.probabilities!.lvl1), Array.from(s.probabilities!.lvl2)])
    : undefined;
  process.stdout.write(JSON.stringify({ version: classifier.version, single, batch, rows }));
  await classifier.close();
})();
