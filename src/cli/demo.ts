/**
 * `npm run demo`: the whole thing on a laptop. Starts DynamoDB Local and a
 * Temporal dev server, loads the movie sample into a `Movies` table, runs
 * jobs/movies-demo.yaml with an in-process worker, and prints the summary.
 */
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from '../dynamo/clients.ts';
import { startLocalStack } from '../local-stack/local-stack.ts';
import { loadMovies } from '../local-stack/movie-data.ts';
import { recreateTable, seedTable } from '../local-stack/seed.ts';
import { runJobFile } from './run-job.ts';
import { temporalTarget } from '../temporal/connection.ts';

export const DEMO_JOB = fileURLToPath(new URL('../../jobs/movies-demo.yaml', import.meta.url));
/** Not a secret: the demo's fake names stay the same from run to run. */
export const DEMO_SALT = 'demo-salt-not-a-secret';

export async function runDemo(options: { keepRunning: boolean }): Promise<void> {
  const log = (line: string) => console.error(line);
  log('starting the local stack (DynamoDB Local + Temporal dev server)…');
  const stack = await startLocalStack({ ui: true, log });
  let dynamo: DynamoDBClient | undefined;
  try {
    // The demo job reads its endpoint from here (see jobs/movies-demo.yaml).
    process.env.DYNAMASK_LOCAL_ENDPOINT = stack.dynamoEndpoint;
    // The job names the salt by reference ({ env: DYNAMASK_SALT }) and the worker runs in this process, so the UI shows the reference, not a salt.
    process.env.DYNAMASK_SALT ??= DEMO_SALT;
    dynamo = createDynamoClient({ endpoint: stack.dynamoEndpoint });
    const movies = await loadMovies();
    log(`seeding table Movies with ${movies.length} items from datasets/moviedata.json…`);
    await seedTable(dynamo, 'Movies', movies);
    await recreateTable(dynamo, 'MoviesAnonymized');

    const { workflowId, result } = await runJobFile(DEMO_JOB, temporalTarget({ address: stack.temporalAddress, namespace: stack.namespace }), { worker: true });
    if (stack.temporalUiUrl) {
      const runs = `${stack.temporalUiUrl}/namespaces/${encodeURIComponent(stack.namespace)}/workflows?query=${encodeURIComponent(`DynamaskJob = "${result.job}"`)}`;
      log(`Temporal UI: ${runs} (runs of job ${result.job}; this one is ${workflowId})`);
    }
    if (options.keepRunning) {
      log('keeping the local stack up; press Ctrl-C to stop');
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    } else {
      log('the local stack stops now; `npm run demo -- --keep-running` keeps it up to browse the UI');
    }
  } finally {
    dynamo?.destroy();
    await stack.stop();
  }
}
