import { describe, expect, it } from 'vitest';
import { loadMovies } from '../src/local-stack/movie-data.ts';
import { itemSize, numberSize, valueSize } from './item-size.ts';

describe('itemSize', () => {
  it('counts attribute names and string values in UTF-8 bytes', () => {
    expect(itemSize({ id: { S: 'abc' } })).toBe(5);
    // "név" is 4 bytes, "Ünnep" 6.
    expect(itemSize({ név: { S: 'Ünnep' } })).toBe(10);
    expect(itemSize({ e: { S: '' } })).toBe(1);
  });

  it('counts numbers as one byte per two significant digits plus one', () => {
    expect(numberSize('7')).toBe(2);
    expect(numberSize('12')).toBe(2);
    expect(numberSize('123')).toBe(3);
    expect(numberSize('-123.45')).toBe(4);
    // Leading and trailing zeroes are trimmed.
    expect(numberSize('1000')).toBe(2);
    expect(numberSize('0.0010')).toBe(2);
    expect(numberSize('1.5E+10')).toBe(2);
    expect(numberSize('0')).toBe(2);
    expect(numberSize('1234567890123456789012345678901234567.8')).toBe(20);
  });

  it('counts binary by raw bytes, booleans and nulls as one byte', () => {
    expect(itemSize({ b: { B: new Uint8Array(10) } })).toBe(11);
    expect(itemSize({ ok: { BOOL: false }, gone: { NULL: true } })).toBe(2 + 1 + 4 + 1);
  });

  it('gives maps and lists 3 bytes of overhead and 1 byte per element; map keys count as names', () => {
    expect(itemSize({ m: { M: {} } })).toBe(4);
    expect(itemSize({ l: { L: [] } })).toBe(4);
    // m(1) + 3 + [1 + a(1) + N 1(2)] + [1 + bb(2) + S x(1)]
    expect(itemSize({ m: { M: { a: { N: '1' }, bb: { S: 'x' } } } })).toBe(12);
    // l(1) + 3 + [1 + S ab(2)] + [1 + BOOL(1)]
    expect(itemSize({ l: { L: [{ S: 'ab' }, { BOOL: true }] } })).toBe(9);
    // Nesting: the inner list is an element of the map.
    expect(valueSize({ M: { k: { L: [{ N: '12' }] } } })).toBe(3 + 1 + 1 + (3 + 1 + 2));
  });

  it('counts set elements as values of their type, without overhead', () => {
    expect(itemSize({ ss: { SS: ['a', 'bc'] } })).toBe(5);
    expect(itemSize({ ns: { NS: ['1', '22'] } })).toBe(6);
    expect(itemSize({ bs: { BS: [new Uint8Array(3), new Uint8Array(4)] } })).toBe(9);
  });

  it('sizes moviedata items; all 4,609 come to within 0.2% of what DynamoDB Local reports', async () => {
    const movies = await loadMovies();
    expect(movies.slice(0, 3).map(itemSize)).toEqual([418, 544, 510]);
    // DynamoDB Local 3.3.1's DescribeTable gives TableSizeBytes 2,095,746 for these items.
    const total = movies.reduce((sum, item) => sum + itemSize(item), 0);
    expect(total).toBe(2_091_680);
    expect(Math.abs(total / 2_095_746 - 1)).toBeLessThan(0.002);
  });

  it('refuses an AttributeValue of no known type', () => {
    expect(() => valueSize({} as never)).toThrow('unsupported AttributeValue');
  });
});
