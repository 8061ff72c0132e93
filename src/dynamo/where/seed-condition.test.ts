import { describe, expect, it } from 'vitest';
import { compileWhere } from '../../../model/condition/index.ts';
import type { Item } from '../../../model/item.ts';
import { planRead } from './read-plan.ts';
import { seedsProblem, subsetWhere } from './seed-condition.ts';

describe('seeds as a condition', () => {
  it('pins the partition key to the seeds, within the where', () => {
    expect(subsetWhere({ seeds: ['ACCOUNT#1', "O'Brien"] }, 'pk')).toBe(`"pk" IN ['ACCOUNT#1', 'O''Brien']`);
    expect(subsetWhere({ seeds: [7, 12.5], where: "a = 1 OR b = 2" }, 'year')).toBe(`"year" IN [7, 12.5] AND (a = 1 OR b = 2)`);
    expect(subsetWhere({ where: 'a = 1' }, 'pk')).toBe('a = 1');
    expect(subsetWhere({}, 'pk')).toBeUndefined();
  });

  it('selects exactly the seeds\' partitions, a quote in a seed included', () => {
    const where = subsetWhere({ seeds: ["O'Brien", 'B'] }, 'pk')!;
    const compiled = compileWhere(where);
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problem));
    const items: Item[] = [{ pk: { S: "O'Brien" } }, { pk: { S: 'B' } }, { pk: { S: 'C' } }, {}];
    expect(items.map(compiled.matches)).toEqual([true, true, false, false]);
  });

  it('is read as a Query per seed', () => {
    const where = subsetWhere({ seeds: ['A', 'B', 'A'], where: "sk = 'PROFILE'" }, 'pk')!;
    const plan = planRead({ table: 'T', consistentRead: false, keys: { hash: { name: 'pk', type: 'S' }, range: { name: 'sk', type: 'S' } }, segments: 4, where });
    expect(plan).toMatchObject({ kind: 'query', hashKey: 'pk', rangeKey: 'sk' });
    expect(plan.kind === 'query' && plan.queries.length).toBe(2);
  });

  it('refuses seeds of the wrong type, naming the place and never the value', () => {
    expect(seedsProblem(['A', 42], { name: 'pk', type: 'S' })).toBe('seeds[1]: the partition key pk is of type S, so every seed must be a string');
    expect(seedsProblem([1, 'secret-value'], { name: 'year', type: 'N' })).toBe('seeds[1]: the partition key year is of type N, so every seed must be a number');
    expect(seedsProblem(['A'], { name: 'pk', type: 'B' })).toMatch(/binary/);
    expect(seedsProblem(['A'], { name: 'pk', type: 'S' })).toBeUndefined();
    expect(seedsProblem(undefined, { name: 'pk', type: 'S' })).toBeUndefined();
  });
});
