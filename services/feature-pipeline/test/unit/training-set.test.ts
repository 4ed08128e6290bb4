import type { BehaviourEvent } from '@search-mesh/contracts';
import { buildTrainingRows } from '../../src/domain/training-set';
import { AT, ev } from './fixtures';

const at = (e: BehaviourEvent, ms: number, extra: Record<string, unknown> = {}): BehaviourEvent => ({ ...e, occurredAt: AT + ms, ...extra }) as BehaviourEvent;

describe('buildTrainingRows', () => {
  it('uses only what was known before each impression: later events never leak into an earlier row', () => {
    const events = [
      // Listed out of time order on purpose: the builder orders by event time.
      at(ev.click('p1', 'tv'), 20_000, { requestId: 'r2' }), // after the first impression: a label for r2, not a feature for r1
      at(ev.impression('TV', ['p1', 'p2']), 15_000, { requestId: 'r1' }),
      at(ev.click('p1', 'tv'), 10_000, { requestId: 'r0' }),
      at(ev.impression('tv', ['p1']), 15_000, { requestId: 'r1b', eventId: 'e9' }), // same instant: not known to r1 either
      at(ev.click('p1', 'tv'), 16_000, { requestId: 'r1' }),
      at(ev.cart('p1'), 17_000, { requestId: 'r1' }),
      at(ev.impression('tv', ['p1']), 30_000, { requestId: 'r2', eventId: 'e10' }),
    ];
    const rows = buildTrainingRows(events);
    const r1 = rows.find((r) => r.requestId === 'r1' && r.productId === 'p1')!;
    expect(r1.product.windows['1h']).toMatchObject({ impressions: 0, clicks: 1, carts: 0 });
    expect(r1.queryProduct.windows['1h']).toMatchObject({ impressions: 0, clicks: 1 });
    expect(r1).toMatchObject({ clicked: true, carted: true, purchased: false, position: 1, query: 'tv' });
    expect(rows.find((r) => r.requestId === 'r1' && r.productId === 'p2')).toMatchObject({ clicked: false, product: { found: false } });

    // The later impression sees everything before it: 2 impressions, 3 clicks (10 s, 16 s, 20 s), 1 cart.
    const r2 = rows.find((r) => r.requestId === 'r2')!;
    expect(r2.product.windows['1h']).toMatchObject({ impressions: 2, clicks: 3, carts: 1 });
    expect(r2.clicked).toBe(false); // its click came before it was shown
  });

  it('attributes actions only within the window', () => {
    const rows = buildTrainingRows([at(ev.impression('tv', ['p1']), 0, { requestId: 'r1' }), at(ev.click('p1', 'tv'), 31 * 60_000, { requestId: 'r1' })]);
    expect(rows[0]!.clicked).toBe(false);
  });
});
