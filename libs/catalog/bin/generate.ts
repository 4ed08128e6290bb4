#!/usr/bin/env -S npx tsx
/**
 * Prints a demo catalog as JSON Lines, e.g.
 *   npx tsx libs/catalog/bin/generate.ts --size 1000 --seed 42 [--data-dir DIR | --builtin] [--out file.jsonl]
 */
import { parseGenerateArgs, runGenerate } from '../src/cli';

runGenerate(parseGenerateArgs(process.argv.slice(2))).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
