/**
 * AWS's movie sample replicated to any number of items with new keys: item i
 * is movie i mod 4,609 with " #<i div 4,609>" appended to its title, so the
 * year/title key schema stays and every key is unique. Items are made on
 * demand; nothing holds the whole table.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../model/item.ts';
import { loadMovies } from '../../src/local-stack/movie-data.ts';
import { recreateTable, type TableSpec } from '../../src/local-stack/seed.ts';
import { BatchPipe } from './batch-pipe.ts';

export interface ReplicatedMovies {
  readonly count: number;
  itemAt(index: number): Item;
  /** How many of the items a predicate selects (the expected size of a subset). */
  countWhere(predicate: (item: Item) => boolean): number;
}

export async function replicatedMovies(count: number): Promise<ReplicatedMovies> {
  const movies = await loadMovies();
  const itemAt = (index: number): Item => {
    const movie = movies[index % movies.length]!;
    return { ...movie, title: { S: `${movie.title!.S} #${Math.floor(index / movies.length)}` } };
  };
  return {
    count,
    itemAt,
    countWhere(predicate) {
      // Replicas share everything but the title, so counting the originals is enough.
      const whole = Math.floor(count / movies.length);
      let selected = 0;
      movies.forEach((movie, index) => {
        if (predicate(movie)) selected += whole + (index < count % movies.length ? 1 : 0);
      });
      return selected;
    },
  };
}

/** Recreates `table` (from `spec`, the movies' keys unless given) and loads every item, `concurrency` BatchWriteItem requests in flight. */
export async function seedReplicated(client: DynamoDBClient, table: string, data: ReplicatedMovies, concurrency = 8, spec?: TableSpec): Promise<number> {
  await recreateTable(client, table, spec);
  const pipe = new BatchPipe(client, table, concurrency);
  for (let i = 0; i < data.count; i++) await pipe.put(data.itemAt(i));
  return pipe.close();
}
