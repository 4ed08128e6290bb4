/**
 * `generate`: writes a catalog as JSON Lines (stdout or a file) and a summary on stderr. Kept in src/
 * so it is type-checked and testable; bin/generate.ts only calls it.
 */
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadQueries, loadTaxonomy, resolveDataDir } from './data';
import { createCatalogContext } from './generator/context';
import { generateRange } from './generator/catalog';

const USAGE = 'usage: generate [--size N] [--seed S] [--data-dir DIR | --builtin] [--out FILE]';
/** Lines per write: few enough syscalls, small enough memory. */
const BATCH = 1000;

export interface GenerateArgs {
  size: number;
  seed: number | string;
  dataDir: string | null;
  out: string | undefined;
}

export function parseGenerateArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): GenerateArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      size: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '42' },
      'data-dir': { type: 'string' },
      builtin: { type: 'boolean', default: false },
      out: { type: 'string' },
    },
    strict: true,
  });
  const size = Number(values.size);
  if (!Number.isInteger(size) || size < 0) throw new Error(`--size must be a non-negative integer\n${USAGE}`);
  const seed = /^\d+$/.test(values.seed) ? Number(values.seed) : values.seed;
  if (values.builtin && values['data-dir'] !== undefined) throw new Error(`--builtin and --data-dir exclude each other\n${USAGE}`);
  const dataDir = values.builtin ? null : values['data-dir'] !== undefined ? resolveDataDir({ SEARCH_MESH_DATA_DIR: values['data-dir'] }) : resolveDataDir(env);
  return { size, seed, dataDir, out: values.out };
}

export async function runGenerate(args: GenerateArgs, stdout: NodeJS.WritableStream = process.stdout, stderr: NodeJS.WritableStream = process.stderr): Promise<void> {
  const started = process.hrtime.bigint();
  const ctx = createCatalogContext({ seed: args.seed, taxonomy: loadTaxonomy(args.dataDir), queries: loadQueries(args.dataDir) });
  const out = args.out === undefined ? stdout : createWriteStream(args.out);
  const leaves = new Set<string>();
  const brands = new Set<string>();
  let batch: string[] = [];
  for (const product of generateRange(0, args.size, ctx)) {
    leaves.add(product.category.id);
    brands.add(product.brand);
    batch.push(JSON.stringify(product));
    if (batch.length === BATCH) {
      await write(out, `${batch.join('\n')}\n`);
      batch = [];
    }
  }
  if (batch.length > 0) await write(out, `${batch.join('\n')}\n`);
  if (out !== stdout) await new Promise<void>((resolve, reject) => (out as ReturnType<typeof createWriteStream>).end((error?: Error | null) => (error ? reject(error) : resolve())));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  stderr.write(
    `${args.size} products (seed ${args.seed}, ${args.dataDir ?? 'built-in data'}): ${leaves.size} leaf categories, ` +
      `${brands.size} brands, ${seconds.toFixed(2)} s (${Math.round(args.size / seconds)} products/s)\n`,
  );
}

/** Writes and waits for the stream to drain when its buffer is full (backpressure). */
function write(stream: NodeJS.WritableStream, chunk: string): Promise<void> {
  return stream.write(chunk) ? Promise.resolve() : new Promise((resolve) => stream.once('drain', () => resolve()));
}
