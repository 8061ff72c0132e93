import { describe, expect, it } from 'vitest';
import { defaultSegments } from './table-info.ts';

const MB = 1024 ** 2;
const GB = 1024 ** 3;

describe('defaultSegments', () => {
  it.each([
    [0, 1],
    [Number.NaN, 1],
    [MB - 1, 1],
    [MB, 4],
    // moviedata on DynamoDB Local
    [2_095_746, 4],
    [2 * GB - 1, 4],
    [2 * GB, 5],
    [10 * GB, 9],
    [1000 * GB, 16],
  ])('%d bytes -> %d', (sizeBytes, segments) => {
    expect(defaultSegments(sizeBytes)).toBe(segments);
  });
});
