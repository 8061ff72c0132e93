/**
 * The writer's guard against items of one page that share a key: it sends
 * nothing unless told to keep the later one. A client that records what it
 * is asked to send stands in for DynamoDB here; test/e2e/single-table.test.ts
 * runs the same against DynamoDB Local.
 */
import type { BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import type { Item } from '../../model/item.ts';
import { DuplicateKeysError, writeItems } from './batch-writer.ts';

function recordingClient() {
  const sent: Item[][] = [];
  const client = {
    send: async (command: BatchWriteItemCommand) => {
      sent.push(Object.values(command.input.RequestItems!)[0]!.map((request) => request.PutRequest!.Item as Item));
      return { UnprocessedItems: {} };
    },
  } as unknown as DynamoDBClient;
  return { client, sent };
}

const items: Item[] = Array.from({ length: 30 }, (_, i) => ({ pk: { S: `k${i % 27}` }, n: { N: String(i) } }));

describe('writeItems', () => {
  it('refuses items of one call that share a key, before sending any of them', async () => {
    const { client, sent } = recordingClient();
    const error = await writeItems(client, 'T', items, { keyAttributes: ['pk'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DuplicateKeysError);
    expect((error as Error).message).toBe('3 item(s) of one page have the same destination key (pk) as another, and the job does not allow key collisions; nothing of the page was written');
    expect(sent).toEqual([]);
  });

  it('puts the later of items that share a key when told to, and counts the others', async () => {
    const { client, sent } = recordingClient();
    expect(await writeItems(client, 'T', items, { keyAttributes: ['pk'], duplicates: 'keepLast' })).toEqual({ written: 27, duplicates: 3 });
    const put = sent.flat();
    expect(put).toHaveLength(27);
    expect(new Set(put.map((item) => item['pk']!.S)).size).toBe(27);
    expect(put.find((item) => item['pk']!.S === 'k0')!['n']).toEqual({ N: '27' });
    expect(sent.every((batch) => batch.length <= 25)).toBe(true);
  });

  it('sends everything as it is without key attributes (seeding), or without duplicates', async () => {
    const unique = items.slice(0, 27);
    for (const options of [{}, { keyAttributes: ['pk'] }]) {
      const { client, sent } = recordingClient();
      expect(await writeItems(client, 'T', unique, options)).toEqual({ written: 27, duplicates: 0 });
      expect(sent.flat()).toEqual(unique);
    }
  });

  it('sends a page in partition order spread over its partition keys, unless told not to', async () => {
    const scanOrder: Item[] = Array.from({ length: 100 }, (_, i) => ({ pk: { S: `p${Math.floor(i / 25)}` }, sk: { N: String(i % 25) } }));
    const partitionsPerBatch = async (options: { spreadPartitions?: boolean }) => {
      const { client, sent } = recordingClient();
      await writeItems(client, 'T', scanOrder, { keyAttributes: ['pk', 'sk'], concurrency: 1, ...options });
      return sent.map((batch) => new Set(batch.map((item) => item['pk']!.S)).size);
    };
    expect(await partitionsPerBatch({})).toEqual([4, 4, 4, 4]);
    expect(await partitionsPerBatch({ spreadPartitions: false })).toEqual([1, 1, 1, 1]);
  });
});
