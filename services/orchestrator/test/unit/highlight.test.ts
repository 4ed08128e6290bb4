import { matchKey, titleMarker } from '../../src/domain/highlight';

describe('titleMarker', () => {
  it('marks the searched words on a title, whatever their case', () => {
    expect(titleMarker('samsung tv')('Samsung 65" Class QLED TV')).toBe('<mark>Samsung</mark> 65&quot; Class QLED <mark>TV</mark>');
  });

  it('matches plurals, possessives and accents the way the title analyzer does', () => {
    const mark = titleMarker('laptop battery cafe');
    expect(mark('Gaming Laptops with Batteries')).toBe('Gaming <mark>Laptops</mark> with <mark>Batteries</mark>');
    expect(mark("Laptop's Case")).toBe("<mark>Laptop&#x27;s</mark> Case");
    expect(mark('Café Machine')).toBe('<mark>Café</mark> Machine');
    expect(matchKey('Washers')).toBe(matchKey('washer'));
  });

  it('keeps decimal numbers as one word and does not mark part of a word', () => {
    const mark = titleMarker('6.5 tv');
    expect(mark('6.5 ft TVs and 6.50 mounts')).toBe('<mark>6.5</mark> ft <mark>TVs</mark> and 6.50 mounts');
    expect(mark('Television stand')).toBeUndefined();
  });

  it('escapes the title as HTML around and inside the marks', () => {
    expect(titleMarker('cable')('<b>HDMI</b> & Cable')).toBe('&lt;b&gt;HDMI&lt;/b&gt; &amp; <mark>Cable</mark>');
  });

  it('answers undefined when nothing matches or nothing was searched', () => {
    expect(titleMarker('fridge')('Samsung TV')).toBeUndefined();
    expect(titleMarker('')('Samsung TV')).toBeUndefined();
    expect(titleMarker('  ')('Samsung TV')).toBeUndefined();
  });
});
