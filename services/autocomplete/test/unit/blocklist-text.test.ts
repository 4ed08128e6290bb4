import { Blocklist, BlocklistSources } from '../../src/domain/blocklist';
import { alignRuns, escapeHtml, highlight, maxEdits, nearDuplicateKey, words } from '../../src/domain/text';

describe('Blocklist', () => {
  it('blocks whole-word phrases, folded', () => {
    const b = new Blocklist(['Gun', 'hover board', '  ', 'GUN']);
    expect(b.phrases).toEqual(['gun', 'hover board']);
    expect(b.blocks(words('nerf gun blaster'))).toBe(true);
    expect(b.blocks(words('gunmetal grey'))).toBe(false);
    expect(b.blocks(words('Hover Board pro'))).toBe(true);
    expect(b.blocks(words('hover skate board'))).toBe(false);
    expect(b.blocks(words('hover'))).toBe(false);
    expect(Blocklist.EMPTY.blocks(['gun'])).toBe(false);
  });

  it('matches across case and diacritics both ways', () => {
    const b = new Blocklist(['CAFÉ crème']);
    expect(b.phrases).toEqual(['cafe creme']);
    expect(b.blocks(words('Café Crème maker'))).toBe(true);
    expect(b.blocks(words('cafe creme'))).toBe(true);
    expect(b.blocks(words('cafe'))).toBe(false);
  });
});

describe('BlocklistSources', () => {
  it('keeps the newest managed list, whatever order versions arrive in, always with the fixed phrases', () => {
    const sources = new BlocklistSources(['gun']);
    expect([sources.managedVersion, sources.current.phrases]).toEqual([0, ['gun']]);
    expect(sources.applyManaged(2, ['Galaxy', 'hover board'])).toBe(true);
    expect(sources.current.phrases).toEqual(['galaxy', 'gun', 'hover board']);
    const held = sources.current;
    expect(sources.applyManaged(1, ['older'])).toBe(false);
    expect(sources.applyManaged(2, ['same version again'])).toBe(false);
    expect(sources.current).toBe(held);
    // An emptied (or deleted) list unblocks the merchandisers' terms, never the fixed ones.
    expect(sources.applyManaged(3, [])).toBe(true);
    expect([sources.managedVersion, sources.current.phrases]).toEqual([3, ['gun']]);
    expect(sources.applyManaged(4, ['GUN'])).toBe(true);
    expect(sources.current.phrases).toEqual(['gun']);
  });
});

describe('text', () => {
  it('allows edits by length', () => {
    expect([1, 3, 4, 7, 8, 20].map(maxEdits)).toEqual([0, 0, 1, 1, 2, 2]);
  });

  it('gives near-duplicates one key', () => {
    expect(nearDuplicateKey('TVs')).toBe(nearDuplicateKey('tv'));
    expect(nearDuplicateKey('samsung tv')).toBe(nearDuplicateKey('TV, Samsung'));
    expect(nearDuplicateKey('the tv')).toBe(nearDuplicateKey('tv'));
    expect(nearDuplicateKey('tv stand')).not.toBe(nearDuplicateKey('tv'));
  });

  it('highlights prefixes HTML-escaped, and nothing when runs do not align', () => {
    const display = 'AT&T <Galaxy> S24';
    const runs = alignRuns(display, words(display));
    expect(runs).not.toBeNull();
    expect(highlight(display, runs, new Map([[2, 3]]))).toBe('AT&amp;T &lt;<mark>Gal</mark>axy&gt; S24');
    expect(highlight(display, null, new Map([[0, 1]]))).toBe(escapeHtml(display));
    expect(alignRuns('tv', ['television'])).toBeNull();
  });
});
