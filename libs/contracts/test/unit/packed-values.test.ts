import { packValues, unpackValues } from '../../src';

describe('packed rank values', () => {
  it('round-trips float32 matrices of any size, whatever the decoded buffer\'s alignment', () => {
    for (const count of [0, 1, 3, 17, 200 * 24]) {
      const matrix = Float32Array.from({ length: count }, (_, i) => Math.fround(i * 1.37 - 5));
      expect(unpackValues(packValues(matrix), count)).toEqual(matrix);
    }
    // A view into a larger buffer packs only its own values.
    const whole = Float32Array.from([1, 2, 3, 4]);
    expect(unpackValues(packValues(whole.subarray(1, 3)), 2)).toEqual(Float32Array.from([2, 3]));
  });

  it('refuses a string that is not base64 of exactly that many float32', () => {
    const packed = packValues(Float32Array.from([1, 2, 3]));
    expect(unpackValues(packed, 2)).toBeUndefined();
    expect(unpackValues(packed, 4)).toBeUndefined();
    expect(unpackValues(`${packed.slice(0, -2)}*=`, 3)).toBeUndefined();
    expect(unpackValues('', 0)).toEqual(new Float32Array(0));
  });
});
