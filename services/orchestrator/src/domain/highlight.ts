import { stem } from '@search-mesh/catalog';

/**
 * Title highlighting in the orchestrator, for the page's 10–50 titles only: asking Elasticsearch to
 * highlight means highlighting the whole rerank window (it cannot know the page before ranking) or a
 * second round trip for the page, both measured slower than marking 20 short titles here.
 *
 * A title word is marked when it and a searched word fold to the same key, the way the title field's
 * analyzer (`english_text`: standard tokenizer, lowercase, ASCII folding, possessives dropped, light
 * stemming) makes them match: case, accents, a trailing "'s" and plural endings do not matter.
 */

/** A word as the standard tokenizer cuts it; a decimal number ("6.5") stays one word. */
const WORD = /[\p{L}\p{N}\p{M}]+(?:['’][\p{L}]+)?(?:\.\p{N}+)*/gu;
const DIACRITICS = /\p{M}+/gu;
const POSSESSIVE = /['’]s$/;
const SHORT_PLURAL = /^\p{L}{2}s$/u;
const ESCAPED: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' };
const UNSAFE = /[&<>"']/g;

const escapeHtml = (text: string) => text.replace(UNSAFE, (c) => ESCAPED[c]!);

/** The key two words match on: folded, without a possessive, plural-stemmed ("tvs" too, which `stem` leaves). */
export function matchKey(word: string): string {
  const folded = word.toLowerCase().normalize('NFD').replace(DIACRITICS, '').replace(POSSESSIVE, '');
  return folded.length === 3 && SHORT_PLURAL.test(folded) ? folded.slice(0, 2) : stem(folded);
}

/**
 * A function that returns a title HTML-escaped with the searched words in `<mark>`, or undefined when no
 * word of it matches (the result then has no highlight, as with Elasticsearch). `words`: space-separated.
 */
export function titleMarker(words: string): (title: string) => string | undefined {
  const keys = new Set<string>();
  for (const w of words.split(' ')) if (w !== '') for (const m of w.matchAll(WORD)) keys.add(matchKey(m[0]));
  if (keys.size === 0) return () => undefined;
  return (title) => {
    let out = '';
    let at = 0;
    for (const m of title.matchAll(WORD)) {
      if (!keys.has(matchKey(m[0]))) continue;
      out += `${escapeHtml(title.slice(at, m.index))}<mark>${escapeHtml(m[0])}</mark>`;
      at = m.index + m[0].length;
    }
    return out === '' ? undefined : out + escapeHtml(title.slice(at));
  };
}
