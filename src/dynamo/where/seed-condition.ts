/**
 * Seeds (partition key values a job starts its subset from) as a condition
 * of the WHERE language: `"pk" IN ['A', 'B']`, ANDed with the table's where.
 * The read planner then reads them as it reads any where that pins the
 * partition key, a Query per value, and the prune asks the source the same
 * question. Numbers keep the digits the job gave; strings double their quotes.
 */
import { quoteIdentifier } from '../partiql-reader.ts';
import type { KeyAttribute } from './translate.ts';

export interface SubsetPick {
  where?: string;
  seeds?: readonly (string | number)[];
}

/** Why the seeds cannot be values of this partition key, or undefined. */
export function seedsProblem(seeds: readonly (string | number)[] | undefined, hash: KeyAttribute): string | undefined {
  if (seeds === undefined) return undefined;
  if (hash.type === 'B') return `seeds: the partition key ${hash.name} is binary, and seeds are strings or numbers`;
  const expected = hash.type === 'S' ? 'string' : 'number';
  const wrong = seeds.findIndex((seed) => typeof seed !== expected);
  if (wrong === -1) return undefined;
  // The place, not the value: a seed is a key value, and messages never show those.
  return `seeds[${wrong}]: the partition key ${hash.name} is of type ${hash.type}, so every seed must be a ${expected}`;
}

/** The condition that selects the table's subset: the where, within the seeds' partitions when there are seeds. */
export function subsetWhere(pick: SubsetPick, hashKey: string): string | undefined {
  if (pick.seeds === undefined) return pick.where;
  const values = pick.seeds.map((seed) => (typeof seed === 'number' ? String(seed) : `'${seed.replace(/'/g, "''")}'`));
  const seeded = `${quoteIdentifier(hashKey)} IN [${values.join(', ')}]`;
  return pick.where === undefined ? seeded : `${seeded} AND (${pick.where})`;
}
