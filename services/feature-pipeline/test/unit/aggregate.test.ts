import { computeFeatures, emptyState, type KeyState } from '@search-mesh/feature-store';
import { applyPlan, planChunk, type Positioned } from '../../src/domain/aggregate';
import { contributions, stateId } from '../../src/domain/contributions';
import { AT, ev } from './fixtures';

function positioned(events: ReturnType<typeof ev.click>[], first = 0): Positioned[] {
  return events.map((event, i) => ({ offset: first + i, producedAt: AT + i, event }));
}

/** Applies chunks to one partition's states the way the consumer does (states persist between chunks). */
function run(chunks: Positioned[][], states = new Map<string, KeyState>()) {
  for (const chunk of chunks) {
    const plan = planChunk(chunk);
    for (const id of plan.keys.keys()) if (!states.has(id)) states.set(id, emptyState());
    applyPlan(plan, states);
  }
  return states;
}

const stream = [
  ev.query('Samsung TV'),
  ev.impression('Samsung  TV!', ['p1', 'p2', 'p1']),
  ev.click('p1', 'samsung tv'),
  ev.cart('p1'),
  ev.purchase('p1', 'SAMSUNG TV'),
  ev.impression('laptop', ['p2']),
];

describe('contributions', () => {
  it('counts a product shown twice in one impression once, and normalises the query', () => {
    const c = contributions(ev.impression('Samsung  TV!', ['p1', 'p2', 'p1']));
    expect(c.map((x) => [x.kind, x.key])).toEqual([
      ['product', ['p1']],
      ['queryProduct', ['samsung tv', 'p1']],
      ['product', ['p2']],
      ['queryProduct', ['samsung tv', 'p2']],
    ]);
    expect(contributions(ev.cart('p1')).map((x) => x.kind)).toEqual(['product']);
    expect(contributions(ev.query('tv'))).toEqual([]);
  });
});

describe('applyPlan', () => {
  const expected = (states: Map<string, KeyState>) => ({
    p1: computeFeatures([states.get(stateId('product', ['p1']))!], AT).windows['1h'],
    p2: computeFeatures([states.get(stateId('product', ['p2']))!], AT).windows['1h'],
    q: computeFeatures([states.get(stateId('queryProduct', ['samsung tv', 'p1']))!], AT).windows['1h'],
  });

  it('counts the stream', () => {
    const got = expected(run([positioned(stream)]));
    expect(got.p1).toMatchObject({ impressions: 1, clicks: 1, carts: 1, purchases: 1 });
    expect(got.p2).toMatchObject({ impressions: 2, clicks: 0 });
    expect(got.q).toMatchObject({ impressions: 1, clicks: 1, carts: 0, purchases: 1 });
  });

  it('gives the same counts when a chunk is redelivered, or a restart re-reads an overlapping range', () => {
    const once = expected(run([positioned(stream)]));
    const all = positioned(stream);
    // redelivered whole
    expect(expected(run([all, all]))).toEqual(once);
    // written up to offset 3, crashed before the commit, re-read from offset 1 with different chunk boundaries
    expect(expected(run([all.slice(0, 4), all.slice(1, 2), all.slice(2)]))).toEqual(once);
    const states = run([all]);
    const { changed, duplicates } = applyPlan(planChunk(all), states);
    expect(changed.size).toBe(0);
    expect(duplicates).toBe(5); // the submitted query counts towards no feature
  });

  it('refuses to apply to a state that was not loaded', () => {
    expect(() => applyPlan(planChunk(positioned([ev.click('p9')])), new Map())).toThrow(/not loaded/);
  });
});
