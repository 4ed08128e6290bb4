import { decodeBehaviourEvent } from '../../src/domain/decode';
import { ev } from './fixtures';

const json = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('decodeBehaviourEvent', () => {
  it('accepts every event type keyed by its session', () => {
    for (const e of [ev.impression('tv', ['p1']), ev.click('p1', 'tv'), ev.cart('p1'), ev.purchase('p1', 'tv'), ev.query('tv')]) {
      expect(decodeBehaviourEvent('s1', json(e))).toEqual({ ok: true, event: e });
    }
  });

  it('says why it rejects, naming the field', () => {
    expect(decodeBehaviourEvent('s1', null)).toMatchObject({ ok: false, reason: expect.stringMatching(/^empty message/) });
    expect(decodeBehaviourEvent('s1', Buffer.from('{nope'))).toMatchObject({ ok: false, reason: expect.stringMatching(/^not JSON/) });
    expect(decodeBehaviourEvent('s1', json({ type: 'page.viewed' }))).toMatchObject({ ok: false, field: '/type' });
    expect(decodeBehaviourEvent('s1', json({ ...ev.impression('tv', ['p1']), products: [] }))).toMatchObject({ ok: false, field: '/products' });
    expect(decodeBehaviourEvent('s1', json({ ...ev.click('p1'), productId: 'bad id!' }))).toMatchObject({ ok: false, field: '/productId' });
    expect(decodeBehaviourEvent('s1', json({ ...ev.cart('p1'), extra: 1 }))).toMatchObject({ ok: false });
    expect(decodeBehaviourEvent('other', json(ev.click('p1')))).toMatchObject({ ok: false, field: '/sessionId' });
  });
});
