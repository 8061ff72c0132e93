/**
 * AWS's public movie sample (datasets/moviedata.json) as DynamoDB items, with
 * every number kept as the exact text of the file (`8.30` stays `8.30`).
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../model/item.ts';

export const MOVIEDATA_PATH = fileURLToPath(new URL('../../datasets/moviedata.json', import.meta.url));

/** Key schema of the sample table: year (N, hash) + title (S, range). */
export const MOVIES_KEY_SCHEMA = {
  KeySchema: [
    { AttributeName: 'year', KeyType: 'HASH' as const },
    { AttributeName: 'title', KeyType: 'RANGE' as const },
  ],
  AttributeDefinitions: [
    { AttributeName: 'year', AttributeType: 'N' as const },
    { AttributeName: 'title', AttributeType: 'S' as const },
  ],
};

class NumberText {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

type Reviver = (key: string, value: unknown, context?: { source?: string }) => unknown;

/** Parses JSON into DynamoDB items; numbers keep their source text (JSON.parse source access, Node 21+). */
export function jsonToItems(text: string): Item[] {
  const reviver: Reviver = (_key, value, context) =>
    typeof value === 'number' && context?.source !== undefined ? new NumberText(context.source) : value;
  const parsed = JSON.parse(text, reviver as Parameters<typeof JSON.parse>[1]) as unknown;
  if (!Array.isArray(parsed)) throw new Error('expected a JSON array of items');
  return parsed.map((entry) => toAttributeValue(entry).M!);
}

function toAttributeValue(value: unknown): AttributeValue {
  if (value instanceof NumberText) return { N: value.text };
  if (value === null) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(toAttributeValue) };
  if (typeof value === 'object') {
    const M: Item = {};
    for (const [k, v] of Object.entries(value)) M[k] = toAttributeValue(v);
    return { M };
  }
  throw new Error(`cannot represent a ${typeof value} as a DynamoDB value`);
}

export async function loadMovies(path: string = MOVIEDATA_PATH): Promise<Item[]> {
  return jsonToItems(await readFile(path, 'utf8'));
}
