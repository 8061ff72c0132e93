import { describe, expect, it } from 'vitest';
import { MAX_DISTINCT_COUNTED, SAMPLE_SIZE, ValueSample, hashText } from './value-sample.ts';

function sampleOf(texts: readonly string[]): ValueSample {
  const sample = new ValueSample();
  for (const text of texts) sample.add('S', text, hashText(text));
  return sample;
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `v${from + i}`);

describe('value sample', () => {
  it('keeps SAMPLE_SIZE values, drawn from the whole stream', () => {
    const sample = sampleOf(range(0, 10_000));
    expect(sample.seen).toBe(10_000);
    expect(sample.values).toHaveLength(SAMPLE_SIZE);
    // A uniform draw keeps values from late in the stream too, not only the first ones.
    expect(sample.values.filter((value) => Number(value.text.slice(1)) >= 5_000).length).toBeGreaterThan(SAMPLE_SIZE / 4);
  });

  it('is the same sample for the same stream', () => {
    expect(sampleOf(range(0, 5_000)).values).toEqual(sampleOf(range(0, 5_000)).values);
  });

  it('counts distinct values up to MAX_DISTINCT_COUNTED', () => {
    expect(sampleOf([...range(0, 10), ...range(0, 10)]).distinct).toBe(10);
    const many = sampleOf(range(0, MAX_DISTINCT_COUNTED * 2));
    expect(many.distinct).toBe(MAX_DISTINCT_COUNTED);
    expect(many.distinctCapped).toBe(true);
  });

  it('merges two samples in proportion to the values each stands for', () => {
    const big = sampleOf(range(0, 9_000));
    big.merge(sampleOf(range(100_000, 101_000)));
    expect(big.seen).toBe(10_000);
    expect(big.values).toHaveLength(SAMPLE_SIZE);
    const fromSmall = big.values.filter((value) => Number(value.text.slice(1)) >= 100_000).length;
    // One value in ten comes from the smaller stream; a merge that ignored the weights would take half.
    expect(fromSmall).toBeGreaterThan(0);
    expect(fromSmall).toBeLessThan(SAMPLE_SIZE / 4);
  });

  it('keeps everything when both fit', () => {
    const a = sampleOf(range(0, 10));
    a.merge(sampleOf(range(10, 20)));
    expect(a.values.map((value) => value.text)).toEqual(range(0, 20));
  });
});
