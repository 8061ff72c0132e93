import { describe, expect, it } from 'vitest';
import { ExpiredIteratorException, GetRecordsCommand, GetShardIteratorCommand, type DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { iteratorDue, ShardReader } from './shard-reader.ts';

const MINUTE = 60_000;

/** A stream that hands out numbered iterators and answers GetRecords with no records, logging every call. */
function fakeStreams(options: { expireOnce?: boolean } = {}) {
  const calls: string[] = [];
  let issued = 0;
  let expire = options.expireOnce ?? false;
  const client = {
    async send(command: unknown) {
      if (command instanceof GetShardIteratorCommand) {
        const { ShardIteratorType, SequenceNumber } = command.input;
        calls.push(`GetShardIterator ${ShardIteratorType}${SequenceNumber ? ` ${SequenceNumber}` : ''}`);
        return { ShardIterator: `iterator-${++issued}` };
      }
      if (command instanceof GetRecordsCommand) {
        calls.push(`GetRecords ${command.input.ShardIterator}`);
        if (expire) {
          expire = false;
          throw new ExpiredIteratorException({ message: 'Iterator expired', $metadata: {} });
        }
        return { Records: [], NextShardIterator: `${command.input.ShardIterator}+` };
      }
      throw new Error('unexpected command');
    },
  };
  return { client: client as unknown as DynamoDBStreamsClient, calls };
}

describe('shard reader', () => {
  it('renews an iterator older than 10 minutes (DynamoDB expires them at 15)', () => {
    expect([iteratorDue(0, 9 * MINUTE), iteratorDue(0, 10 * MINUTE), iteratorDue(0, 10 * MINUTE + 1), iteratorDue(0, 14 * MINUTE)]).toEqual([false, false, true, true]);
  });

  it('renews its iterator from the last sequence number well before DynamoDB expires it (15 minutes)', async () => {
    let now = 0;
    const { client, calls } = fakeStreams();
    const reader = new ShardReader(client, 'arn:stream', 'shardId-1', { now: () => now });
    await reader.page(undefined);
    now = 9 * MINUTE;
    await reader.page('100');
    // Older than 10 minutes, and so certainly once 14 minutes old: a new one from where the caller stands.
    now = 10 * MINUTE + 1;
    await reader.page('200');
    now = 24 * MINUTE + 2;
    await reader.page('300');
    expect(calls).toEqual([
      'GetShardIterator TRIM_HORIZON',
      'GetRecords iterator-1',
      'GetRecords iterator-1+',
      'GetShardIterator AFTER_SEQUENCE_NUMBER 200',
      'GetRecords iterator-2',
      'GetShardIterator AFTER_SEQUENCE_NUMBER 300',
      'GetRecords iterator-3',
    ]);
  });

  it('asks for a new iterator once more when DynamoDB says the one it has expired all the same', async () => {
    const { client, calls } = fakeStreams({ expireOnce: true });
    const reader = new ShardReader(client, 'arn:stream', 'shardId-1', { now: () => 0 });
    expect(await reader.page('42')).toEqual({ records: [], closed: false });
    expect(calls).toEqual(['GetShardIterator AFTER_SEQUENCE_NUMBER 42', 'GetRecords iterator-1', 'GetShardIterator AFTER_SEQUENCE_NUMBER 42', 'GetRecords iterator-2']);
  });
});
