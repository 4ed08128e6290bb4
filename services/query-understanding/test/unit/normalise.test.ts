import { normaliseText } from '../../src/domain/normalise';

const text = (raw: string) => normaliseText(raw).text;

describe('normaliseText', () => {
  it('writes every spelling of a measure in one form', () => {
    for (const raw of ['65" tv', '65in tv', '65-inch tv', '65 inch tv', '65 Inches TV', '65\u201d TV', "65'' tv"]) expect(text(raw)).toBe('65 in tv');
    expect(text('1TB ssd')).toBe('1 tb ssd');
    expect(text('6\' hdmi cable')).toBe('6 ft hdmi cable');
    expect(text('5.3 cu. ft. washer')).toBe('5.3 cu ft washer');
    expect(text('20 cubic feet refrigerator')).toBe('20 cu ft refrigerator');
    expect(text('1500 watts microwave')).toBe('1500 w microwave');
  });

  it('keeps what only looks like a unit', () => {
    expect(text('2 in 1 laptop')).toBe('2 in 1 laptop');
    expect(text('in wall speakers')).toBe('in wall speakers');
    expect(text('ps5 4k 1080p 5g phone')).toBe('ps5 4k 1080p 5g phone');
  });

  it('handles case, Unicode, accents, numbers and money', () => {
    expect(text('ＳＯＮＹ Café Crème')).toBe('sony cafe creme');
    expect(text('tv under $1,299.99')).toBe('tv under 1299.99 dollars');
    expect(text('Galaxy S24+ (Unlocked)')).toBe('galaxy s24 unlocked');
  });

  it('drops query syntax and emoji, keeping the words', () => {
    expect(text('"laptop" AND (cheap OR *) ~2 title:tv \\ / ?')).toBe('laptop and cheap or 2 title tv');
    expect(text('🔥📺')).toBe('');
    expect(normaliseText('   ').tokens).toEqual([]);
  });

  it('drops words no product has and caps the number of words', () => {
    expect(text(`tv ${'x'.repeat(49)} stand`)).toBe('tv stand');
    expect(normaliseText('tv '.repeat(100)).tokens).toHaveLength(32);
  });
});
