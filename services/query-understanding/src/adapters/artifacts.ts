/** Reads the committed artifacts: the gzipped lexicon and leaf table (the model is read by the classifiers). */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { EnglishData } from '../domain/english';
import type { LeafData } from '../domain/leaves';
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

/** The leaf-category table (`leaves.json.gz`), or undefined for a model directory without one (plans then carry no leaves). */
export function readLeaves(modelDir: string): LeafData | undefined {
  const file = join(modelDir, 'leaves.json.gz');
  if (!existsSync(file)) return undefined;
  const data = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as LeafData;
  if (typeof data.version !== 'string' || !Array.isArray(data.leaves)) throw new Error(`${file} is not a leaf table: rebuild it with npm run qu:train`);
  return data;
}

/** Common English words (`english.json.gz`), or undefined for a model directory without them. */
export function readEnglish(modelDir: string): EnglishData | undefined {
  const file = join(modelDir, 'english.json.gz');
  if (!existsSync(file)) return undefined;
  const data = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as EnglishData;
  if (typeof data.version !== 'string' || typeof data.bySize !== 'object') throw new Error(`${file} is not an English word list: rebuild it with npm run qu:train`);
  return data;
}
