import { describe, expect, it } from 'vitest';
import { clipToBytes } from '../../workflows/shared.ts';

describe('clipToBytes', () => {
  it('leaves short text alone and cuts long text within the limit, never inside a character', () => {
    expect(clipToBytes('short', 300)).toBe('short');
    const cut = clipToBytes('é'.repeat(200), 300);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(300);
    expect(cut).toMatch(/^é+…$/);
  });
});
