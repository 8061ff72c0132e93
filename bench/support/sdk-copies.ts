/**
 * The two copies dynamask is measured against, written with the AWS SDK
 * alone, with no Temporal and no transforms:
 * - naive: PartiQL pages, then one BatchWriteItem at a time (what most people write);
 * - best: a segmented Scan, each segment fetching its next page while the
 *   current one is written, into 8 BatchWriteItem requests in flight (what an expert writes).
 */
import { ExecuteStatementCommand, ScanCommand, type DynamoDBClient, type ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../model/item.ts';
import { BATCH_SIZE, BatchPipe, writeBatchRetrying } from './batch-pipe.ts';
import type { SUBSET_FILTER } from './subset.ts';

export interface CopyCounts {
  read: number;
  written: number;
  /** Seconds from the start until each segment's last page was handed to the writer (parallel copies only). */
  segmentEndSeconds?: number[];
}

export async function naiveSdkCopy(client: DynamoDBClient, source: string, destination: string, where?: string): Promise<CopyCounts> {
  const statement = `SELECT * FROM "${source}"${where ? ` WHERE ${where}` : ''}`;
  const counts = { read: 0, written: 0 };
  let NextToken: string | undefined;
  do {
    const page = await client.send(new ExecuteStatementCommand({ Statement: statement, NextToken }));
    const items = (page.Items ?? []) as Item[];
    counts.read += items.length;
    for (let i = 0; i < items.length; i += BATCH_SIZE) {
      const batch = items.slice(i, i + BATCH_SIZE);
      await writeBatchRetrying(client, destination, batch.map((Item) => ({ PutRequest: { Item } })));
      counts.written += batch.length;
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return counts;
}

export interface BestCopyOptions {
  segments: number;
  writeConcurrency: number;
  filter?: typeof SUBSET_FILTER;
}

export async function bestSdkCopy(client: DynamoDBClient, source: string, destination: string, options: BestCopyOptions): Promise<CopyCounts> {
  const pipe = new BatchPipe(client, destination, options.writeConcurrency);
  const start = performance.now();
  const segmentEndSeconds: number[] = [];
  let read = 0;
  const scan = (segment: number, ExclusiveStartKey: Item | undefined): Promise<ScanCommandOutput> =>
    client.send(
      new ScanCommand({ TableName: source, Segment: segment, TotalSegments: options.segments, ExclusiveStartKey, ...options.filter }),
    );
  const copySegment = async (segment: number): Promise<void> => {
    let next: Promise<ScanCommandOutput> | undefined = scan(segment, undefined);
    try {
      while (next) {
        const page: ScanCommandOutput = await next;
        next = page.LastEvaluatedKey ? scan(segment, page.LastEvaluatedKey as Item) : undefined;
        const items = (page.Items ?? []) as Item[];
        read += items.length;
        for (const item of items) await pipe.put(item);
      }
      segmentEndSeconds[segment] = Math.round(performance.now() - start) / 1e3;
    } catch (error) {
      // A write failed with the next page already requested; its outcome no longer matters.
      next?.catch(() => undefined);
      throw error;
    }
  };
  const segments = Array.from({ length: options.segments }, (_, segment) => copySegment(segment));
  // Every segment settles before the pipe closes, so a failed one cannot leave writes running.
  const outcomes = await Promise.allSettled(segments);
  const written = await pipe.close();
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
  return { read, written, segmentEndSeconds };
}
