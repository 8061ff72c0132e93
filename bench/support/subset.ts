/**
 * The benchmark's subset, a non-key condition (about a third of moviedata),
 * in the three forms its readers need: PartiQL for dynamask and the naive
 * copy, a hand-written Scan FilterExpression for the best copy, and a
 * predicate that says how many items it must select.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../model/item.ts';

export const SUBSET_WHERE = '"info"."rating" >= 7';

export const SUBSET_FILTER: {
  FilterExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, AttributeValue>;
} = {
  FilterExpression: '#info.#rating >= :min',
  ExpressionAttributeNames: { '#info': 'info', '#rating': 'rating' },
  ExpressionAttributeValues: { ':min': { N: '7' } },
};

export function inSubset(item: Item): boolean {
  const rating = item.info?.M?.rating?.N;
  return rating !== undefined && Number(rating) >= 7;
}
