import { describe, expect, it } from 'vitest';
import { hexCase } from './_hex-case.ts';

describe('hexCase', () => {
  it('is upper only for upper-case hex letters without lower-case ones', () => {
    expect(hexCase('AB:CD::1')).toBe('upper');
    expect(hexCase('ab:cd::1')).toBe('lower');
    expect(hexCase('Ab')).toBe('lower');
    expect(hexCase('1234')).toBe('lower');
    expect(hexCase('')).toBe('lower');
  });
});
