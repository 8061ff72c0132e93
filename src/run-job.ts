/**
 * Runs one job file against a Temporal target and prints its summary; used
 * by `dynamask run` and by the demo.
 */
import { builtinRegistry } from '../transformers/builtin/index.ts';
import { followRun, startRun } from './client.ts';
import { loadJobFile } from './job/job-loader.ts';
import { formatProgress, formatSummary } from './run-report.ts';
import { connectClient, connectWorker, describeTarget, type TemporalTarget } from './temporal-connection.ts';
import { createWorker } from './worker.ts';

export interface RunOptions {
  worker?: boolean;
  json?: boolean;
}

export async function runJobFile(file: string, target: TemporalTarget, options: RunOptions): Promise<void> {
  const job = await loadJobFile(file, builtinRegistry);
  const client = await connectClient(target);
  let worker: Awaited<ReturnType<typeof createWorker>> | undefined;
  let workerConnection: Awaited<ReturnType<typeof connectWorker>> | undefined;
  let workerRun: Promise<void> | undefined;
  try {
    if (options.worker) {
      workerConnection = await connectWorker(target);
      worker = await createWorker({ connection: workerConnection, namespace: target.namespace });
      workerRun = worker.run();
    }
    const handle = await startRun(client, job);
    console.error(`started ${handle.workflowId} on ${describeTarget(target)}`);
    const result = await followRun(handle, (tables) => console.error(`  ${formatProgress(tables)}`));
    console.log(options.json ? JSON.stringify(result, null, 2) : formatSummary(result));
  } finally {
    if (worker) {
      worker.shutdown();
      await workerRun;
    }
    await workerConnection?.close();
    await client.connection.close();
  }
}

