/**
 * The embedded stack for the demo, the tests and a laptop: DynamoDB Local and
 * a Temporal dev server (with its UI), both on free loopback ports, both
 * stopped by `stop()`.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SEARCH_ATTRIBUTE_KEYS } from '../../workflows/search-attributes.ts';
import { startDynamoDbLocal } from './dynamodb-local.ts';
import { freePort } from './free-port.ts';
import { findTemporalCli, type Log } from './temporal-cli.ts';

export interface LocalStack {
  readonly dynamoEndpoint: string;
  readonly temporalAddress: string;
  readonly temporalUiUrl: string | undefined;
  readonly namespace: string;
  readonly temporal: TestWorkflowEnvironment;
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  log?: Log;
  /** Serve the Temporal UI (the demo does; tests need not). */
  ui?: boolean;
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const log = options.log ?? ((line) => console.error(line));
  const cli = await findTemporalCli(log);
  log(`Temporal CLI: using ${cli.executable.type === 'existing-path' ? cli.executable.path : 'the SDK download'} (${cli.source})`);

  const [dynamo, uiPort] = await Promise.all([startDynamoDbLocal(), options.ui ? freePort() : Promise.resolve(undefined)]);
  let temporal: TestWorkflowEnvironment;
  try {
    temporal = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: cli.executable,
        searchAttributes: SEARCH_ATTRIBUTE_KEYS,
        ...(uiPort ? { ui: true, uiPort } : {}),
        log: { format: 'pretty', level: 'error' },
      },
    });
  } catch (error) {
    await dynamo.stop();
    throw new Error('could not start the Temporal dev server', { cause: error });
  }
  return {
    dynamoEndpoint: dynamo.endpoint,
    temporalAddress: temporal.address,
    temporalUiUrl: uiPort ? `http://127.0.0.1:${uiPort}` : undefined,
    namespace: temporal.namespace ?? 'default',
    temporal,
    async stop() {
      await Promise.allSettled([temporal.teardown(), dynamo.stop()]);
    },
  };
}
