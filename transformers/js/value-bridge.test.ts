import { describe, expect, it } from 'vitest';
import { DROP } from '../definition.ts';
import { canonicalText, dynamoNumber, ReturnShapeError, toAttributeValue } from './value-bridge.ts';

const shapeOf = (raw: unknown): string => {
  try {
    toAttributeValue(raw);
  } catch (error) {
    if (error instanceof ReturnShapeError) return error.shape;
    throw error;
  }
  return 'accepted';
};

describe('toAttributeValue', () => {
  it('accepts every DynamoDB type, nested', () => {
    const value = {
      M: {
        s: { S: 'x' },
        n: { N: '8.30' },
        b: { B: new Uint8Array([1, 2]) },
        t: { BOOL: true },
        z: { NULL: true },
        l: { L: [{ SS: ['a', 'b'] }, { NS: ['1', '2.5'] }, { BS: [new Uint8Array([3])] }] },
      },
    };
    expect(toAttributeValue(value)).toEqual(value);
  });

  it('writes numbers as plain decimal text DynamoDB stores, keeping the places given', () => {
    expect(dynamoNumber('1e+21')).toBe('1000000000000000000000');
    expect(dynamoNumber('1e-7')).toBe('0.0000001');
    expect(dynamoNumber('8.30')).toBe('8.30');
    expect(dynamoNumber('12345678901234567890123456789012345678')).toBe('12345678901234567890123456789012345678');
    expect(shapeOf({ N: '123456789012345678901234567890123456789' })).toBe('tooPrecise');
    expect(shapeOf({ N: '1e200' })).toBe('outOfRange');
    expect(shapeOf({ N: 'twelve' })).toBe('badNumber');
  });

  it('makes sets valid: duplicates merge (numbers by value), an empty set is no value', () => {
    expect(toAttributeValue({ NS: ['1.0', '1', '2'] })).toEqual({ NS: ['1.0', '2'] });
    expect(toAttributeValue({ SS: ['a', 'a'] })).toEqual({ SS: ['a'] });
    expect(toAttributeValue({ SS: [] })).toBe(DROP);
    expect(toAttributeValue({ M: { gone: { SS: [] }, kept: { S: '' } } })).toEqual({ M: { kept: { S: '' } } });
  });

  it('refuses anything else', () => {
    expect(shapeOf({ S: 1 })).toBe('invalid');
    expect(shapeOf({ S: 'a', N: '1' })).toBe('invalid');
    expect(shapeOf({ SS: ['a', 1] })).toBe('invalid');
    expect(shapeOf({ L: [{ drop: true }] })).toBe('invalid');
    expect(shapeOf(null)).toBe('invalid');
    let deep: unknown = { S: 'x' };
    for (let i = 0; i < 40; i++) deep = { L: [deep] };
    expect(shapeOf(deep)).toBe('tooDeep');
  });

  it('reads { drop: true } as DROP at the top only', () => {
    expect(toAttributeValue({ drop: true })).toBe(DROP);
  });
});

describe('canonicalText', () => {
  it('is the same whatever order map keys and set elements come in', () => {
    expect(canonicalText({ M: { a: { SS: ['x', 'y'] }, b: { N: '8.30' } } })).toBe(canonicalText({ M: { b: { N: '8.3' }, a: { SS: ['y', 'x'] } } }));
  });
});
