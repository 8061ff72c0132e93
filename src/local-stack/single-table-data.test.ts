import { describe, expect, it } from 'vitest';
import { singleTableItems } from './single-table-data.ts';

describe('the single-table dataset', () => {
  const items = singleTableItems();
  const of = (type: string) => items.filter((item) => item['type']!.S === type);

  it('is the same on every run, a few thousand items of three types under unique keys', () => {
    expect(singleTableItems()).toEqual(items);
    expect(items.length).toBeGreaterThan(2000);
    expect(new Set(items.map((item) => `${item['pk']!.S}|${item['sk']!.S}`)).size).toBe(items.length);
    expect(of('account')).toHaveLength(400);
    expect(of('ticket')).toHaveLength(600);
    expect(of('order').length).toBeGreaterThan(1000);
  });

  it('has realistic identifiers in keys, GSI keys and references, all resolving', () => {
    const accounts = new Set(of('account').map((item) => item['pk']!.S));
    for (const account of of('account')) {
      expect(account['pk']!.S).toMatch(/^ACCOUNT#[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(account['GSI1PK']).toEqual({ S: `EMAIL#${account['email']!.S}` });
      expect(account['customerNumber']!.S).toMatch(/^\d{10}$/);
    }
    expect(new Set(of('account').map((item) => item['email']!.S)).size).toBe(400);
    for (const order of of('order')) {
      expect(accounts.has(order['pk']!.S)).toBe(true);
      expect(order['sk']!.S).toMatch(/^ORDER#\d{4}-\d{2}-\d{2}#[A-Z0-9]{10}$/);
      expect(order['sk']!.S!.endsWith(order['orderId']!.S!)).toBe(true);
    }
    for (const ticket of of('ticket')) {
      expect(ticket['pk']!.S).toMatch(/^TICKET#\d{8}$/);
      expect(accounts.has(ticket['accountRef']!.S)).toBe(true);
      expect(ticket['GSI1PK']).toEqual(ticket['accountRef']);
    }
  });
});
