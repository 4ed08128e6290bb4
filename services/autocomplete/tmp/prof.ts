import { loadQueries, normaliseQuery, resolveDataDir, splitQueries } from '@search-mesh/catalog';
import { loadSources } from '../src/adapters/catalog-source';
import { Suggester } from '../src/domain/suggester';
const s = new Suggester(loadSources({ seed: 42, size: 50000 }));
const { test } = splitQueries(loadQueries(resolveDataDir()));
const prefixes: string[] = [];
for (const q of test) { const n = normaliseQuery(q.query); for (let i = 1; i <= n.length; i++) prefixes.push(n.slice(0, i)); }
for (let r = 0; r < 3; r++) for (const p of prefixes) s.suggest({ q: p, limit: 8 });
const times: [number, string][] = [];
for (const p of prefixes) { const t = performance.now(); s.suggest({ q: p, limit: 8 }); times.push([performance.now() - t, p]); }
times.sort((a, b) => a[0] - b[0]);
const q = (f: number) => times[Math.floor(f * (times.length - 1))]![0].toFixed(4);
console.log('median', q(0.5), 'p90', q(0.9), 'p99', q(0.99), 'max', q(1));
console.log(times.slice(-15).map(([t, p]) => `${t.toFixed(3)} ${p}`).join('\n'));
const idx = s.current;
for (const p of ['refrigerator fr', 'samsung galaxy s', 'a', 'wireless head']) { const t = performance.now(); for (let i = 0; i < 200; i++) idx.matchWord(p.split(' ').pop()!); console.log('match', p, ((performance.now() - t) / 200).toFixed(4)); }
for (const w of ['accessories', 'camera', 'digital', 'mirrorless', 'keyboard', 'folios', 'aromatherapy', 'diffusers']) { const t = performance.now(); let n = 0; for (let i = 0; i < 200; i++) n = idx.matchWord(w).length; console.log('match', w, n, ((performance.now() - t) / 200).toFixed(4)); }
