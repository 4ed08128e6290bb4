import { PassThrough } from 'node:stream';
import { parseGenerateArgs, runGenerate } from '../../src/cli';

describe('generate CLI', () => {
  it('parses its options', () => {
    expect(parseGenerateArgs(['--size', '10', '--seed', 'x', '--builtin'])).toEqual({ size: 10, seed: 'x', dataDir: null, out: undefined });
    expect(parseGenerateArgs(['--builtin']).seed).toBe(42);
    expect(() => parseGenerateArgs(['--size', '-3', '--builtin'])).toThrow('--size');
    expect(() => parseGenerateArgs(['--bogus'])).toThrow();
  });

  it('prints JSON Lines and a summary', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (c: Buffer) => (out += c.toString()));
    stderr.on('data', (c: Buffer) => (err += c.toString()));
    await runGenerate({ size: 25, seed: 42, dataDir: null, out: undefined }, stdout, stderr);
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(25);
    expect((JSON.parse(lines[0] as string) as { id: string }).id).toBe('p0000000');
    expect(err).toMatch(/^25 products \(seed 42, built-in data\): \d+ leaf categories, \d+ brands/);
  });
});
