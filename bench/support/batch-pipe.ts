/**
 * Hand-written BatchWriteItem, as an engineer would write it with the AWS SDK
 * alone: batches of 25 sent as soon as they fill, a fixed number in flight,
 * UnprocessedItems sent again with backoff. The baselines and the seeding use
 * this rather than dynamask's own writer, so they measure the SDK, not us.
 */
import { BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Item } from '../../model/item.ts';

export const BATCH_SIZE = 25;
const MAX_ATTEMPTS = 10;

/** Sends one batch until DynamoDB has taken every item. */
export async function writeBatchRetrying(client: DynamoDBClient, table: string, requests: WriteRequest[]): Promise<void> {
  let pending = requests;
  for (let attempt = 1; ; attempt++) {
    const output = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }));
    pending = output.UnprocessedItems?.[table] ?? [];
    if (pending.length === 0) return;
    if (attempt >= MAX_ATTEMPTS) throw new Error(`${pending.length} item(s) for table "${table}" still unprocessed after ${attempt} attempts`);
    await sleep(Math.random() * Math.min(2_000, 25 * 2 ** attempt));
  }
}

/**
 * Items in, full batches out, at most `concurrency` requests in flight.
 * `put` waits while the pipe is full, so a fast reader cannot pile up pages.
 */
export class BatchPipe {
  readonly #client: DynamoDBClient;
  readonly #table: string;
  readonly #concurrency: number;
  #buffer: WriteRequest[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  #written = 0;
  #failure: { error: unknown } | undefined;

  constructor(client: DynamoDBClient, table: string, concurrency: number) {
    this.#client = client;
    this.#table = table;
    this.#concurrency = Math.max(1, concurrency);
  }

  async put(item: Item): Promise<void> {
    this.#buffer.push({ PutRequest: { Item: item } });
    if (this.#buffer.length >= BATCH_SIZE) await this.#send();
  }

  /** Sends what is left, waits for every request; resolves with the number of items written. */
  async close(): Promise<number> {
    if (this.#buffer.length > 0) await this.#send();
    while (this.#inFlight.size > 0) await Promise.race(this.#inFlight);
    this.#throwIfFailed();
    return this.#written;
  }

  async #send(): Promise<void> {
    const batch = this.#buffer;
    this.#buffer = [];
    // The size check and the add below run without an await between them, so
    // several waiting writers cannot overshoot the limit.
    while (this.#inFlight.size >= this.#concurrency) await Promise.race(this.#inFlight);
    this.#throwIfFailed();
    const request: Promise<void> = writeBatchRetrying(this.#client, this.#table, batch).then(
      () => {
        this.#written += batch.length;
        this.#inFlight.delete(request);
      },
      (error: unknown) => {
        this.#failure ??= { error };
        this.#inFlight.delete(request);
      },
    );
    this.#inFlight.add(request);
  }

  #throwIfFailed(): void {
    if (this.#failure) throw new Error(`writing "${this.#table}" failed`, { cause: this.#failure.error });
  }
}
