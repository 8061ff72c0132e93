/**
 * What an end-to-end test needs from the shared local stack: clients and a
 * worker on a task queue of the test's own, so test files run in parallel
 * without taking each other's tasks.
 */
import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type LogLevel, type Worker } from '@temporalio/worker';
import { installWorkerLogger } from '../../src/worker/worker-logger.ts';
import { inject } from 'vitest';
import { createDynamoClient } from '../../src/dynamo/clients.ts';
import type { Item } from '../../model/item.ts';
import { createWorker } from '../../src/worker/worker.ts';
import { dataConverterFromEnv } from '../../src/temporal/data-converter.ts';
import type { ActivityDeps } from '../../src/activities/index.ts';

export interface TestStack {
  dynamoEndpoint: string;
  dynamo: DynamoDBClient;
  client: Client;
  taskQueue: string;
  close(): Promise<void>;
}

// The tests' workers log as `dynamask run --worker` does: errors only, one line each (DYNAMASK_LOG_LEVEL=WARN for more).
installWorkerLogger((process.env.DYNAMASK_LOG_LEVEL as LogLevel | undefined) ?? 'ERROR');

export async function connectTestStack(taskQueue: string, activities: Partial<ActivityDeps> = {}): Promise<TestStack> {
  const dynamoEndpoint = inject('dynamoEndpoint');
  const address = inject('temporalAddress');
  const namespace = inject('temporalNamespace');
  const connection = await Connection.connect({ address });
  // As the CLI's: with DYNAMASK_CODEC_KEY_DATA set, the whole suite runs encrypted (createWorker reads the same keys).
  const dataConverter = await dataConverterFromEnv();
  const client = new Client({ connection, namespace, ...(dataConverter && { dataConverter }) });
  const workerConnection = await NativeConnection.connect({ address });
  const worker: Worker = await createWorker({ connection: workerConnection, namespace, taskQueue, activities, workflowBundle: { codePath: inject('workflowBundlePath') } });
  const running = worker.run();
  const dynamo = createDynamoClient({ endpoint: dynamoEndpoint });
  return {
    dynamoEndpoint,
    dynamo,
    client,
    taskQueue,
    async close() {
      worker.shutdown();
      await running;
      await workerConnection.close();
      await connection.close();
      dynamo.destroy();
    },
  };
}

export async function scanAll(dynamo: DynamoDBClient, table: string): Promise<Item[]> {
  const items: Item[] = [];
  let ExclusiveStartKey: Item | undefined;
  do {
    const page = await dynamo.send(new ScanCommand({ TableName: table, ExclusiveStartKey, ConsistentRead: true }));
    items.push(...((page.Items ?? []) as Item[]));
    ExclusiveStartKey = page.LastEvaluatedKey as Item | undefined;
  } while (ExclusiveStartKey);
  return items;
}

export function movieKey(item: Item): string {
  return `${item.year?.N}|${item.title?.S}`;
}
