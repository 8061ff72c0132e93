/**
 * A dynamask worker: the bundled workflows plus activities wired to their
 * dependencies, polling the dynamask task queue, with the limits of
 * worker-settings.ts (DYNAMASK_* environment variables unless given).
 */
import { existsSync } from 'node:fs';
import type { DataConverter } from '@temporalio/common';
import { Runtime, Worker, type NativeConnection, type WorkflowBundle, type WorkflowBundlePath } from '@temporalio/worker';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { taskQueueFromEnv } from '../temporal/connection.ts';
import { dataConverterFromEnv } from '../temporal/data-converter.ts';
import { createActivities, type ActivityDeps } from '../activities/index.ts';
import { workerSettingsFromEnv, type WorkerSettings } from './worker-settings.ts';
import { bundleFailures, chooseBundle } from './prebuilt-bundle.ts';
import { bundleWorkflowsInChild } from './workflow-bundle.ts';

export { bundleWorkflows, WORKFLOWS_PATH } from './workflow-bundle.ts';

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue?: string;
  /** Override the environment's settings (and its defaults). */
  settings?: Partial<WorkerSettings>;
  /** Dependencies for the activities; their writeConcurrency and sandboxProcesses win over `settings`. */
  activities?: Partial<ActivityDeps>;
  /** Default: the encrypting data converter when codec keys are configured (DYNAMASK_CODEC_KEY_PATH / _DATA), else Temporal's. */
  dataConverter?: DataConverter;
  /**
   * Workflow code bundled beforehand by bundleWorkflows, so that many workers
   * (a test suite's) share one bundling; without it the worker bundles the
   * workflows as it starts, from the sources it runs with, in a child
   * process (workflow-bundle.ts); so does an encrypting worker given a
   * bundle made without its failure converter (prebuilt-bundle.ts).
   */
  workflowBundle?: WorkflowBundle | WorkflowBundlePath;
}

export async function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  const settings: WorkerSettings = { ...workerSettingsFromEnv(), ...options.settings };
  const given = options.workflowBundle ?? workflowBundleFromEnv();
  // Its failureConverterPath goes into the workflow bundle, so workflow failures are encoded as activity failures are.
  const dataConverter = options.dataConverter ?? (await dataConverterFromEnv());
  const prebuilt = given && usable(given, dataConverter?.failureConverterPath !== undefined) ? given : undefined;
  const workflowBundle =
    prebuilt
      ? prebuilt
      : await bundleWorkflowsInChild({
          ...(dataConverter?.failureConverterPath ? { failureConverterPath: dataConverter.failureConverterPath } : {}),
          ...(dataConverter?.payloadConverterPath ? { payloadConverterPath: dataConverter.payloadConverterPath } : {}),
        });
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? taskQueueFromEnv(),
    workflowBundle,
    maxConcurrentActivityTaskExecutions: settings.maxConcurrentActivities,
    maxConcurrentWorkflowTaskExecutions: settings.maxConcurrentWorkflowTasks,
    ...workflowThreadOptions(settings.workflowThreads),
    // A cancel reaches a call only in the answer to a heartbeat the SDK sends, at most every 0.8 × the
    // heartbeat timeout (24 s) by default: a stopped follower waits for its last call, so at most 5 s.
    maxHeartbeatThrottleInterval: '5 seconds',
    activities: createActivities({
      registry: builtinRegistry,
      writeConcurrency: settings.writeConcurrency,
      sandboxProcesses: settings.sandboxProcesses,
      ...options.activities,
    }),
    ...(dataConverter && { dataConverter }),
  });
}

function usable(bundle: WorkflowBundle | WorkflowBundlePath, encodesFailures: boolean): boolean {
  const choice = chooseBundle(bundleFailures(bundle), encodesFailures, 'code' in bundle ? '(given in code)' : bundle.codePath);
  if (!choice.use) Runtime.instance().logger.warn(choice.warning);
  return choice.use;
}

/**
 * DYNAMASK_WORKFLOW_BUNDLE: a bundle `dynamask bundle <file>` wrote from
 * the same sources, which a worker loads instead of bundling the workflows
 * itself as it starts (seconds of CPU, and the start-up's memory peak), as
 * Temporal's production sample does. A bundle of other sources than the
 * worker's activities is the deployment's mistake, which no check here
 * can see: build it with the image.
 */
export function workflowBundleFromEnv(env: NodeJS.ProcessEnv = process.env): WorkflowBundlePath | undefined {
  const codePath = env.DYNAMASK_WORKFLOW_BUNDLE;
  if (codePath === undefined || codePath === '') return undefined;
  if (!existsSync(codePath)) throw new Error(`DYNAMASK_WORKFLOW_BUNDLE names no file: ${codePath} (write one with \`dynamask bundle ${codePath}\`, or unset it to bundle at start)`);
  return { codePath };
}

/**
 * Where workflow code runs. The SDK runs it on the main thread only in its
 * debug mode, whose one other effect, no deadlock timeout, is undone here
 * (unless TEMPORAL_DEBUG asks for the debug mode itself).
 */
function workflowThreadOptions(threads: number, env: NodeJS.ProcessEnv = process.env) {
  if (threads > 0) return { workflowThreadPoolSize: threads };
  return { debugMode: true, ...(env.TEMPORAL_DEBUG ? {} : { isolateExecutionTimeout: '5s' }) };
}
