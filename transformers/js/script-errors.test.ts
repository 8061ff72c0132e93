import { describe, expect, it } from 'vitest';
import { describeFailure, describeItem, locateInStack, safeErrorName, safeMessage } from './script-errors.ts';

const limits = { memoryLimitMb: 64, timeoutMs: 100 };

describe('safeMessage', () => {
  const code = "if (!item.price) throw new Error('no price'); return value.trim()";

  it('shows a message the code spells out, and V8 messages built from the code', () => {
    expect(safeMessage('no price', code, false)).toBe('no price');
    expect(safeMessage('value.trim is not a function', code, false)).toBe('value.trim is not a function');
    expect(safeMessage("Cannot read properties of undefined (reading 'price')", code, false)).toBe("Cannot read properties of undefined (reading 'price')");
    expect(safeMessage('Maximum call stack size exceeded', code, false)).toBe('Maximum call stack size exceeded');
  });

  it('withholds a message that may quote a value', () => {
    expect(safeMessage('Unexpected token \'J\', "Jane Doe" is not valid JSON', code, false)).toBeUndefined();
    expect(safeMessage('Cannot convert 12.5 to a BigInt', code, false)).toBeUndefined();
    expect(safeMessage("Cannot read properties of undefined (reading 'Jane')", code, false)).toBeUndefined();
    expect(safeMessage('Jane Doe is not defined', code, false)).toBeUndefined();
  });

  it('shows everything when asked to (preview)', () => {
    expect(safeMessage('"Jane Doe" is not valid JSON', code, true)).toBe('"Jane Doe" is not valid JSON');
  });
});

describe('safeErrorName', () => {
  it('shows standard names and names the code spells, nothing else', () => {
    expect(safeErrorName('TypeError', true, '')).toBe('TypeError');
    expect(safeErrorName('PriceError', true, 'class PriceError extends Error {}')).toBe('PriceError');
    expect(safeErrorName('Jane Doe', true, '')).toBe('an error');
    expect(safeErrorName(undefined, false, '')).toBe('a value that is not an Error');
  });
});

describe('locateInStack', () => {
  it('finds the first frame of the script, not of the runtime', () => {
    const stack = 'TypeError: x\n    at dynamask-runtime:10:3\n    at script-2:3:15\n    at run (dynamask-runtime:200:1)';
    expect(locateInStack(stack, 2)).toEqual({ line: 3, column: 15 });
    expect(locateInStack(stack, 1)).toBeUndefined();
  });
});

describe('describeFailure', () => {
  it('says what happened, in words a user acts on', () => {
    expect(describeFailure({ kind: 'threw', entry: 0, errorName: 'TypeError', line: 1, column: 7 }, limits)).toBe(
      'threw TypeError at line 1, column 7 (its message is not shown, as it may hold item values; `dynamask preview` shows it)',
    );
    expect(describeFailure({ kind: 'shape', entry: 0, shape: 'date' }, limits)).toBe('returned a Date (return date.toISOString() to store text)');
    expect(describeFailure({ kind: 'timeout', entry: 0 }, limits)).toBe(
      'ran longer than sandbox.timeoutMs (100 ms) on one value and was stopped (an endless loop?); the sandbox was reset',
    );
    expect(describeFailure({ kind: 'memory', entry: 0 }, limits)).toBe('used more than sandbox.memoryLimitMb (64 MB) and was stopped; the sandbox was reset');
  });
});

describe('describeItem', () => {
  const item = { year: { N: '2013' }, title: { S: 'Rush' } };
  it('names key attributes, and their values only when keys are not sensitive', () => {
    expect(describeItem(item, ['year', 'title'], true)).toBe('the item with key year, title');
    expect(describeItem(item, ['year', 'title'], false)).toBe('the item year=2013, title="Rush"');
  });
});
