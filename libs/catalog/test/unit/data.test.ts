import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadQueries, loadTaxonomy, parseQueries, parseTaxonomy, QUERIES_FILE, resolveDataDir, SHARED_DATA_DIR, TAXONOMY_FILE } from '../../src/data';

const category = (id: string, path: [string, string | null][]) => ({ id, name: path[path.length - 1]?.[1], path: path.map(([i, name]) => ({ id: i, name })), subCategories: [] });

describe('resolveDataDir', () => {
  it('uses SEARCH_MESH_DATA_DIR when set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalog-data-'));
    expect(resolveDataDir({ SEARCH_MESH_DATA_DIR: dir })).toBe(dir);
  });

  it('rejects a SEARCH_MESH_DATA_DIR that does not exist', () => {
    expect(() => resolveDataDir({ SEARCH_MESH_DATA_DIR: '/no/such/dir' })).toThrow('SEARCH_MESH_DATA_DIR="/no/such/dir" is not a directory');
  });

  it('falls back to ../shared/data when present, else to the built-in data', () => {
    expect([SHARED_DATA_DIR, null]).toContain(resolveDataDir({}));
  });
});

describe('parseTaxonomy', () => {
  it('builds the tree from paths, even when a parent is missing from the file', () => {
    const taxonomy = parseTaxonomy(
      JSON.stringify([category('r', [['r', 'Root']]), category('c', [['r', 'Root'], ['m', 'Missing'], ['c', 'Child']])]),
      'test.json',
    );
    const child = taxonomy.byId.get('c');
    expect(child?.path).toEqual(['Root', 'Missing', 'Child']);
    expect(child?.isLeaf).toBe(true);
    expect(taxonomy.byId.get('m')?.isLeaf).toBe(false);
    expect(taxonomy.leaves.map((l) => l.id)).toEqual(['c']);
  });

  it('skips categories whose path has no name', () => {
    const taxonomy = parseTaxonomy(JSON.stringify([category('r', [['r', 'Root']]), category('x', [['r', 'Root'], ['x', null]])]), 'test.json');
    expect(taxonomy.skipped).toBe(1);
    expect(taxonomy.byId.has('x')).toBe(false);
  });

  it('names the file and line of invalid JSON', () => {
    expect(() => parseTaxonomy('[\n{"id": }]', 'cats.json')).toThrow(/^cats\.json:2: category #0: invalid JSON/);
    expect(() => parseTaxonomy('{"id": 1}', 'cats.json')).toThrow('cats.json:1: expected a JSON array of categories');
    expect(() => parseTaxonomy('[{"id": "a"}', 'cats.json')).toThrow('cats.json:1: unterminated JSON array');
  });

  it('names the file and category of an invalid record', () => {
    expect(() => parseTaxonomy(JSON.stringify([{ id: 'a', name: 'A', path: 'nope' }]), 'cats.json')).toThrow(
      /^cats\.json:1: category #0 \(id a\): invalid record at \/path/,
    );
  });
});

describe('parseQueries', () => {
  const line = (q: object) => JSON.stringify({ query: 'tv', popularity: 1, hits: 2, lvl0: [], lvl1: [], lvl2: [], ...q });

  it('reads JSON Lines, ignoring blank lines and extra fields', () => {
    const records = parseQueries(`${line({ categories: [] })}\n\n${line({ query: 'fridge' })}\n`, 'q.jsonl');
    expect(records.map((r) => r.query)).toEqual(['tv', 'fridge']);
  });

  it('names the file and line of invalid JSON', () => {
    expect(() => parseQueries(`${line({})}\n{oops`, 'q.jsonl')).toThrow(/^q\.jsonl:2: invalid JSON/);
  });

  it('names the file, line and field of an invalid record', () => {
    expect(() => parseQueries(`${line({})}\n${line({ hits: -1 })}`, 'q.jsonl')).toThrow(/^q\.jsonl:2: invalid record at \/hits/);
  });
});

describe('loaders', () => {
  it('read a data directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalog-data-'));
    writeFileSync(join(dir, TAXONOMY_FILE), JSON.stringify([category('r', [['r', 'Root']])]));
    writeFileSync(join(dir, QUERIES_FILE), '{"query":"tv","popularity":0,"hits":1,"lvl0":[],"lvl1":[],"lvl2":[]}\n');
    expect(loadTaxonomy(dir).roots.map((r) => r.name)).toEqual(['Root']);
    expect(loadQueries(dir)).toHaveLength(1);
  });

  it('provide the built-in data without a directory', () => {
    const taxonomy = loadTaxonomy(null);
    expect(taxonomy.roots).toHaveLength(8);
    expect(taxonomy.leaves.length).toBeGreaterThan(40);
    expect(loadQueries(null).length).toBeGreaterThan(100);
  });

  it('built-in queries point at built-in categories', () => {
    const nodes = new Set([...loadTaxonomy(null).byId.values()].map((n) => n.path.join(' > ')));
    const values = loadQueries(null).flatMap((q) => [...q.lvl0, ...q.lvl1, ...q.lvl2].map((c) => c.value));
    expect(values.filter((v) => !nodes.has(v))).toEqual([]);
  });
});
