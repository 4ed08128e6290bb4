/** Reads the committed artifacts: the gzipped lexicon (the model is read by OnnxCategoryClassifier). */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { LexiconData } from '../domain/lexicon';

/** services/query-understanding/model: what `npm run qu:train` writes and the repository ships. */
export const DEFAULT_MODEL_DIR = resolve(__dirname, '..', '..', 'model');

export function readLexicon(modelDir: string): LexiconData {
  const file = join(modelDir, 'lexicon.json.gz');
  const data = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as LexiconData;
  for (const key of ['version', 'words', 'brands', 'colours', 'modelNumbers', 'categoryNames', 'units', 'prices'] as const) {
    if (data[key] === undefined) throw new Error(`${file} has no "${key}": rebuild it with npm run qu:train`);
  }
  return data;
}
