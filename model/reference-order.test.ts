import { describe, expect, it } from 'vitest';
import { dependencyOrder } from './reference-order.ts';

const entry = (source: string, references?: string) => ({ source, ...(references !== undefined ? { references: { table: references, attribute: 'a', selection: { consistentRead: false } } } : {}) });

describe('the order tables start in', () => {
  it('is job order without references', () => {
    expect(dependencyOrder([entry('A'), entry('B'), entry('C')])).toEqual([0, 1, 2]);
  });

  it('puts a referenced entry before the entries that follow it, down a chain, and keeps the rest in job order', () => {
    expect(dependencyOrder([entry('Shipments', 'Orders'), entry('Other'), entry('Orders', 'Users'), entry('Users')])).toEqual([3, 2, 0, 1]);
  });

  it('keeps the entries of a ring in job order, and what hangs off the ring after the member it follows', () => {
    expect(dependencyOrder([entry('Orders', 'Users'), entry('Users', 'Teams'), entry('Teams', 'Users')])).toEqual([1, 0, 2]);
    expect(dependencyOrder([entry('Employees', 'Employees'), entry('Badges', 'Employees')])).toEqual([0, 1]);
  });
});
