/**
 * A dynamask worker: the bundled workflows plus activities wired to their
 * dependencies, polling the dynamask task queue, with the limits of
 * worker-settings.ts (DYNAMASK_* environment variables unless given).
 */
import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import { bundleWorkflowCode, Worker, type Logger, type NativeConnection, type WorkflowBundle, type WorkflowBundlePath } from '@temporalio/worker';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { taskQueueFromEnv } from '../temporal/connection.ts';
import { dataConverterFromEnv } from '../temporal/data-converter.ts';
import { createActivities, type ActivityDeps } from '../activities/index.ts';
import { workerSettingsFromEnv, type WorkerSettings } from './worker-settings.ts';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));

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
   * workflows as it starts, from the sources it runs with (so does a worker
   * whose data converter brings a failure converter, which must be bundled).
   */
  workflowBundle?: WorkflowBundle | WorkflowBundlePath;
}

export async function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  const settings: WorkerSettings = { ...workerSettingsFromEnv(), ...options.settings };
  // Its failureConverterPath goes into the workflow bundle, so workflow failures are encoded as activity failures are.
  const dataConverter = options.dataConverter ?? (await dataConverterFromEnv());
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? taskQueueFromEnv(),
    // A bundle made beforehand holds Temporal's default failure converter: an encrypting worker bundles its own.
    ...(options.workflowBundle && !dataConverter?.failureConverterPath ? { workflowBundle: options.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    maxConcurrentActivityTaskExecutions: settings.maxConcurrentActivities,
    maxConcurrentWorkflowTaskExecutions: settings.maxConcurrentWorkflowTasks,
    activities: createActivities({
      registry: builtinRegistry,
      writeConcurrency: settings.writeConcurrency,
      sandboxProcesses: settings.sandboxProcesses,
      ...options.activities,
    }),
    ...(dataConverter && { dataConverter }),
  });
}

/**
 * The bundle createWorker would make for itself: bundler options that a
 * worker's own bundling would use belong here too, or a prebuilt bundle
 * would run other workflow code than the worker it is given to.
 */
export async function bundleWorkflows(options: { logger?: Logger } = {}): Promise<WorkflowBundle> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, ...(options.logger ? { logger: options.logger } : {}) });
  return { code };
}
