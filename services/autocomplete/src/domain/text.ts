/**
 * Text folding for suggestions: the catalog library's `normaliseQuery` (NFKC, lowercase, diacritics
 * stripped, punctuation to spaces) so that what is typed, what is indexed and the query split agree.
 */
import { contentTokens, normaliseQuery } from '@search-mesh/catalog';

export { normaliseQuery as fold } from '@search-mesh/catalog';

/** Longest folded word kept for matching; longer ones are cut (a 1 KB word costs nothing). */
export const MAX_WORD_LENGTH = 48;
/** Words of a typed prefix beyond this are ignored. */
export const MAX_QUERY_WORDS = 8;

/** Folded words of a text, in order. */
export function words(text: string): string[] {
  const folded = normaliseQuery(text);
  return folded === '' ? [] : folded.split(' ');
}

/** Edits allowed for a typed word of this length: none below 4 characters, one from 4, two from 8. */
export function maxEdits(length: number): number {
  return length >= 8 ? 2 : length >= 4 ? 1 : 0;
}

/**
 * Identity of a suggestion for duplicate detection: its content words stemmed (plural folding), without
 * stopwords, sorted. "TVs", "tv" and "the tv" collide, and so do "samsung tv" and "tv samsung".
 */
export function nearDuplicateKey(text: string): string {
  const tokens = contentTokens(text);
  // The catalog's stemmer leaves words of 3 letters alone; "tvs" and "tv" are still one suggestion.
  const plain = (tokens.length > 0 ? tokens : words(text)).map((t) => (t.length === 3 && /^[a-z]+s$/.test(t) && !t.endsWith('ss') ? t.slice(0, -1) : t));
  return plain.sort().join(' ');
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

/** A run of word characters in a display text, with the folded word it becomes. */
export interface WordRun {
  start: number;
  end: number;
  folded: string;
}

const WORD_RUN = /[\p{L}\p{N}\p{M}]+(?:\.[\p{N}]+)*/gu;

/**
 * The word runs of a display text aligned with its folded words, or null when folding does not map runs
 * one to one (then a suggestion is shown without highlighting rather than highlighted wrongly).
 */
export function alignRuns(display: string, folded: readonly string[]): WordRun[] | null {
  const runs: WordRun[] = [];
  for (const match of display.matchAll(WORD_RUN)) {
    const run = normaliseQuery(match[0]);
    if (run === '') continue;
    runs.push({ start: match.index, end: match.index + match[0].length, folded: run });
  }
  if (runs.length !== folded.length) return null;
  for (let i = 0; i < runs.length; i++) if ((runs[i] as WordRun).folded !== folded[i]) return null;
  return runs;
}

/**
 * `display` HTML-escaped with the given prefix lengths (in folded characters) of the given runs wrapped in
 * `<mark>`. Folding keeps lengths for Latin text; where it does not, the whole run is marked.
 */
export function highlight(display: string, runs: readonly WordRun[] | null, marks: ReadonlyMap<number, number>): string {
  if (runs === null || marks.size === 0) return escapeHtml(display);
  let out = '';
  let at = 0;
  for (let i = 0; i < runs.length; i++) {
    const length = marks.get(i);
    if (length === undefined || length <= 0) continue;
    const run = runs[i] as WordRun;
    const runLength = run.end - run.start;
    const cut = run.start + (runLength === run.folded.length ? Math.min(length, runLength) : runLength);
    out += `${escapeHtml(display.slice(at, run.start))}<mark>${escapeHtml(display.slice(run.start, cut))}</mark>`;
    at = cut;
  }
  return out + escapeHtml(display.slice(at));
}
