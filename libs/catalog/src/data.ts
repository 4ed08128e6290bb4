/**
 * Where the catalog's inputs come from: Best Buy's taxonomy and the real query log in ../shared/data
 * (read in place, never copied), or the built-in stand-ins when a checkout has no ../shared.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { BUILTIN_QUERIES } from './builtin/queries';
import { BUILTIN_TAXONOMY_PATHS } from './builtin/taxonomy';
import { buildTaxonomy, type CategoryPathEntry, type Taxonomy } from './taxonomy';

export const TAXONOMY_FILE = 'bestbuy-categories.json';
export const QUERIES_FILE = 'bestbuy-queries.jsonl';
export const DATA_DIR_ENV = 'SEARCH_MESH_DATA_DIR';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
/** `../shared/data` relative to the repository root. */
export const SHARED_DATA_DIR = resolve(REPO_ROOT, '..', 'shared', 'data');

/**
 * `SEARCH_MESH_DATA_DIR` when set (it must exist), else ../shared/data when it holds both files, else
 * null: use the built-in data.
 */
export function resolveDataDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const configured = env[DATA_DIR_ENV];
  if (configured !== undefined && configured !== '') {
    const dir = resolve(configured);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new Error(`${DATA_DIR_ENV}="${configured}" is not a directory`);
    }
    return dir;
  }
  const hasBoth = existsSync(join(SHARED_DATA_DIR, TAXONOMY_FILE)) && existsSync(join(SHARED_DATA_DIR, QUERIES_FILE));
  return hasBoth ? SHARED_DATA_DIR : null;
}

const CategoryDistribution = Type.Array(
  Type.Object({ value: Type.String({ minLength: 1 }), count: Type.Integer({ minimum: 0 }) }),
);

const RawQuery = Type.Object({
  query: Type.String({ minLength: 1 }),
  popularity: Type.Integer({ minimum: 0 }),
  hits: Type.Integer({ minimum: 0 }),
  lvl0: CategoryDistribution,
  lvl1: CategoryDistribution,
  lvl2: CategoryDistribution,
});

/** One real storefront query and where its hits lived, e.g. lvl1 "Appliances > Refrigerators". */
export interface QueryRecord {
  query: string;
  popularity: number;
  hits: number;
  lvl0: CategoryCount[];
  lvl1: CategoryCount[];
  lvl2: CategoryCount[];
}

export interface CategoryCount {
  /** Category path names joined by " > ". */
  value: string;
  count: number;
}

const RawPathEntry = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), name: Type.Union([Type.String(), Type.Null()]) });
const RawCategory = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  name: Type.Union([Type.String(), Type.Null()]),
  path: Type.Array(RawPathEntry, { minItems: 1 }),
});
type RawCategory = Static<typeof RawCategory>;

/** Reads the taxonomy from `dir`, or the built-in one for null. */
export function loadTaxonomy(dir: string | null): Taxonomy {
  if (dir === null) return buildTaxonomy(BUILTIN_TAXONOMY_PATHS);
  const file = join(dir, TAXONOMY_FILE);
  return parseTaxonomy(readFileSync(file, 'utf8'), file);
}

/** Parses the taxonomy file's text (a JSON array of categories); `source` names it in errors. */
export function parseTaxonomy(text: string, source: string): Taxonomy {
  const paths: CategoryPathEntry[][] = [];
  let skipped = 0;
  splitJsonArray(text, source).forEach((element, index) => {
    const where = () => `${source}:${element.line}: category #${index}`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(element.text);
    } catch (error) {
      throw new Error(`${where()}: invalid JSON: ${(error as Error).message}`);
    }
    const category = validate(RawCategory, parsed, () => `${where()}${describeId(parsed)}`);
    const last = category.path[category.path.length - 1];
    if (last?.id !== category.id) throw new Error(`${where()} (id ${category.id}): path must end with the category itself`);
    // A nameless entry cannot be shown or matched; the real file has one, under "Test Pages".
    if (category.path.some((entry) => entry.name === null || entry.name.trim() === '')) {
      skipped++;
      return;
    }
    paths.push(category.path.map((entry) => ({ id: entry.id, name: (entry.name as string).trim() })));
  });
  return buildTaxonomy(paths, skipped);
}

interface JsonElement {
  text: string;
  /** 1-based line where the element starts. */
  line: number;
}

/**
 * The elements of a top-level JSON array with the line each starts on, so a bad category can be
 * reported by line although the file is one big array.
 */
function splitJsonArray(text: string, source: string): JsonElement[] {
  const elements: JsonElement[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let start = -1;
  let startLine = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') line++;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (depth === 0) {
      if (ch === '[') {
        depth = 1;
        start = i + 1;
        startLine = line;
      } else if (ch !== undefined && !/\s/.test(ch)) throw new Error(`${source}:${line}: expected a JSON array of categories`);
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth++;
    else if ((ch === ',' && depth === 1) || ((ch === ']' || ch === '}') && --depth === 0)) {
      const raw = text.slice(start, i);
      const leading = raw.length - raw.trimStart().length;
      const lineOfElement = startLine + (raw.slice(0, leading).match(/\n/g)?.length ?? 0);
      if (raw.trim() !== '') elements.push({ text: raw.trim(), line: lineOfElement });
      else if (ch === ',') throw new Error(`${source}:${line}: empty element in the category array`);
      start = i + 1;
      startLine = line;
      if (depth === 0) {
        if (text.slice(i + 1).trim() !== '') throw new Error(`${source}:${line}: unexpected text after the category array`);
        return elements;
      }
    }
  }
  throw new Error(`${source}:${line}: unterminated JSON array of categories`);
}

/** Reads the query log from `dir`, or the built-in one for null. */
export function loadQueries(dir: string | null): QueryRecord[] {
  if (dir === null) return BUILTIN_QUERIES.map((q) => ({ ...q }));
  const file = join(dir, QUERIES_FILE);
  return parseQueries(readFileSync(file, 'utf8'), file);
}

/** Parses JSON Lines of queries (blank lines allowed); `source` names the file in errors. */
export function parseQueries(text: string, source: string): QueryRecord[] {
  const records: QueryRecord[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${source}:${index + 1}`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      throw new Error(`${where}: invalid JSON: ${(error as Error).message}`);
    }
    const raw = validate(RawQuery, parsed, () => where);
    records.push({ query: raw.query, popularity: raw.popularity, hits: raw.hits, lvl0: raw.lvl0, lvl1: raw.lvl1, lvl2: raw.lvl2 });
  });
  return records;
}

function validate<T extends TSchema>(schema: T, value: unknown, where: () => string): Static<T> {
  if (Value.Check(schema, value)) return value;
  const first = Value.Errors(schema, value).First();
  const field = first === undefined ? '' : ` at ${first.path === '' ? '/' : first.path}`;
  throw new Error(`${where()}: invalid record${field}: ${first?.message ?? 'does not match the expected shape'}`);
}

function describeId(item: unknown): string {
  const id = (item as Partial<RawCategory> | null)?.id;
  return typeof id === 'string' ? ` (id ${id})` : '';
}
