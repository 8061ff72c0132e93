/**
 * Reads one shard of a stream page by page from a position: after a
 * sequence number, or from the trim horizon. A shard iterator expires 15
 * minutes after GetShardIterator gave it, and cannot be kept anyway (it
 * would hold nothing a worker could not get again), so the reader keeps it
 * in memory only, asks for a new one from the last sequence number it
 * handed out well before that (RENEW_AFTER_MS), and once more if DynamoDB
 * says it expired all the same. Throttling (LimitExceededException) is the
 * SDK's to retry: the client's adaptive retry mode slows down and tries
 * again.
 */
import {
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ResourceNotFoundException,
  TrimmedDataAccessException,
  type DynamoDBStreamsClient,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';

/** GetRecords returns at most 1,000 records (and 1 MB) a call. */
export const MAX_RECORDS_PER_PAGE = 1000;
const RENEW_AFTER_MS = 10 * 60 * 1000;

export interface ShardPage {
  records: _Record[];
  /** GetRecords gave no next iterator: the shard is closed and this was its last page. */
  closed: boolean;
}

export interface ShardReaderOptions {
  /** Records a page; at most 1,000. */
  limit?: number;
  abortSignal?: AbortSignal;
  /** Time source, for tests of renewal. */
  now?: () => number;
}

export class ShardReader {
  readonly #client: DynamoDBStreamsClient;
  readonly #streamArn: string;
  readonly #shardId: string;
  readonly #options: ShardReaderOptions;
  #iterator: string | undefined;
  #iteratorAt = 0;

  constructor(client: DynamoDBStreamsClient, streamArn: string, shardId: string, options: ShardReaderOptions = {}) {
    this.#client = client;
    this.#streamArn = streamArn;
    this.#shardId = shardId;
    this.#options = options;
  }

  /** The next page after `after` (the last sequence number the caller has; undefined: from the trim horizon). */
  async page(after: string | undefined): Promise<ShardPage> {
    const now = this.#options.now ?? Date.now;
    if (this.#iterator === undefined || iteratorDue(this.#iteratorAt, now())) await this.#renew(after);
    let output;
    try {
      output = await this.#getRecords();
    } catch (error) {
      if (!(error instanceof ExpiredIteratorException)) throw error;
      await this.#renew(after);
      output = await this.#getRecords();
    }
    this.#iterator = output.NextShardIterator ?? undefined;
    return { records: output.Records ?? [], closed: !output.NextShardIterator };
  }

  async #getRecords() {
    return this.#client.send(
      new GetRecordsCommand({ ShardIterator: this.#iterator, Limit: Math.min(this.#options.limit ?? MAX_RECORDS_PER_PAGE, MAX_RECORDS_PER_PAGE) }),
      this.#send(),
    );
  }

  async #renew(after: string | undefined): Promise<void> {
    const { ShardIterator } = await this.#client.send(
      new GetShardIteratorCommand({
        StreamArn: this.#streamArn,
        ShardId: this.#shardId,
        ...(after !== undefined ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after } : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
      this.#send(),
    );
    this.#iterator = ShardIterator;
    this.#iteratorAt = (this.#options.now ?? Date.now)();
  }

  #send() {
    return this.#options.abortSignal ? { abortSignal: this.#options.abortSignal } : {};
  }
}

/** An iterator given at `givenAtMs` is renewed now: well before DynamoDB's 15 minutes, so that a slow page cannot outlive it. */
export function iteratorDue(givenAtMs: number, nowMs: number): boolean {
  return nowMs - givenAtMs > RENEW_AFTER_MS;
}

/**
 * Why a shard cannot be read from its position any more, when that is what
 * the error says; undefined for any other error. A full copy gets around
 * these; nothing else can.
 */
export function positionLostReason(error: unknown, shardId: string): string | undefined {
  if (error instanceof TrimmedDataAccessException) return `the checkpoint of shard ${shardId} is past the stream's 24-hour retention (TrimmedDataAccessException)`;
  if (error instanceof ResourceNotFoundException) return `shard ${shardId} of the checkpoint is gone from the stream (ResourceNotFoundException)`;
  return undefined;
}
