/**
 * The blocklist: phrases (folded, whole words) that no suggestion may contain. Compiled once per change
 * and swapped in with one assignment; each request reads the current list once.
 */
import { words } from './text';

export class Blocklist {
  /** First word → the phrases (as word arrays) starting with it. */
  private readonly byFirstWord: Map<string, string[][]>;
  readonly phrases: readonly string[];

  constructor(phrases: readonly string[]) {
    const folded = [...new Set(phrases.map((p) => words(p).join(' ')).filter((p) => p !== ''))].sort();
    this.phrases = folded;
    this.byFirstWord = new Map();
    for (const phrase of folded) {
      const ws = phrase.split(' ');
      const first = ws[0] as string;
      const list = this.byFirstWord.get(first);
      if (list === undefined) this.byFirstWord.set(first, [ws]);
      else list.push(ws);
    }
  }

  static readonly EMPTY = new Blocklist([]);

  get size(): number {
    return this.phrases.length;
  }

  /** Whether the folded words contain a blocked phrase as consecutive whole words. */
  blocks(textWords: readonly string[]): boolean {
    if (this.byFirstWord.size === 0) return false;
    for (let i = 0; i < textWords.length; i++) {
      const candidates = this.byFirstWord.get(textWords[i] as string);
      if (candidates === undefined) continue;
      for (const phrase of candidates) {
        if (i + phrase.length > textWords.length) continue;
        let all = true;
        for (let j = 1; j < phrase.length && all; j++) all = textWords[i + j] === phrase[j];
        if (all) return true;
      }
    }
    return false;
  }
}

/**
 * Where the blocklist comes from, and the one rule combining them: the merchandisers' list (the facet
 * service's control plane, newest version wins, whatever order its announcements arrive in) and the
 * deployment's fixed phrases (`BLOCKLIST`), which stay blocked whatever the merchandisers save.
 */
export class BlocklistSources {
  private version = 0;
  private compiled: Blocklist;

  constructor(private readonly fixed: readonly string[]) {
    this.compiled = new Blocklist(fixed);
  }

  /** The blocklist in force: the union of both sources. */
  get current(): Blocklist {
    return this.compiled;
  }

  /** The control-plane version applied (0: none yet). */
  get managedVersion(): number {
    return this.version;
  }

  /** Applies the merchandisers' list at `version`; false (nothing changes) when it is not newer than the one held. */
  applyManaged(version: number, terms: readonly string[]): boolean {
    if (version <= this.version) return false;
    this.version = version;
    this.compiled = new Blocklist([...this.fixed, ...terms]);
    return true;
  }
}
