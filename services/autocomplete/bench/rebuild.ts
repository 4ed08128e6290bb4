/**
 * What a rebuild from the query log costs a serving event loop: the whole build at once (the stall every
 * request waiting meanwhile sees) against the same build in slices (`REBUILD_SLICE_MS`), with the event
 * loop's delay measured by a timer that fires every millisecond, as requests would.
 *
 *   npx tsx services/autocomplete/bench/rebuild.ts [--rounds 5] [--slice 4] [--size 50000]
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { loadSources } from '../src/adapters/catalog-source';
import { Suggester } from '../src/domain/suggester';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, slice: { type: 'string', default: '4' }, size: { type: 'string', default: '50000' } } });
const rounds = Number(values.rounds);
const sliceMs = Number(values.slice);
const suggester = new Suggester(loadSources({ seed: 42, size: Number(values.size) }));

/** Largest gap between 1 ms timer ticks while `work` runs (what a request arriving then waits, at worst). */
async function worstGap(work: () => Promise<unknown>): Promise<{ ms: number; gapMs: number }> {
  let last = performance.now();
  let gap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    gap = Math.max(gap, now - last);
    last = now;
  }, 1);
  await new Promise((r) => setTimeout(r, 20));
  last = performance.now();
  gap = 0;
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  await new Promise((r) => setTimeout(r, 5));
  clearInterval(timer);
  return { ms, gapMs: gap };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
async function main(): Promise<void> {
const rows: Array<{ atOnce: { ms: number; gapMs: number }; sliced: { ms: number; gapMs: number } }> = [];
for (let r = 0; r < rounds; r++) {
  suggester.observe([{ normalised: `samsung tv ${r}`, count: 3 }, { normalised: 'laptop', count: 1 }]);
  const atOnce = await worstGap(async () => suggester.rebuild());
  suggester.observe([{ normalised: `sony tv ${r}`, count: 3 }]);
  const sliced = await worstGap(() => suggester.rebuildInSlices(sliceMs));
  rows.push({ atOnce, sliced });
  console.log(`round ${r + 1}: at once ${atOnce.ms.toFixed(1)} ms (event loop held ${atOnce.gapMs.toFixed(1)} ms); in ${sliceMs} ms slices ${sliced.ms.toFixed(1)} ms (longest gap ${sliced.gapMs.toFixed(1)} ms)`);
}
const m = (f: (row: (typeof rows)[number]) => number) => median(rows.map(f)).toFixed(1);
console.log(`\nmedian of ${rounds}: at once ${m((x) => x.atOnce.ms)} ms, event loop held ${m((x) => x.atOnce.gapMs)} ms; sliced ${m((x) => x.sliced.ms)} ms, longest gap ${m((x) => x.sliced.gapMs)} ms`);
}

void main();
