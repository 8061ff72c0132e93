/**
 * A dynamask worker: the bundled workflows plus activities wired to their
 * dependencies, polling the dynamask task queue.
 */
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, Worker, type Logger, type NativeConnection, type WorkflowBundle, type WorkflowBundlePath } from '@temporalio/worker';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { taskQueueFromEnv } from '../temporal/connection.ts';
import { createActivities, type ActivityDeps } from '../activities/index.ts';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue?: string;
  activities?: Partial<ActivityDeps>;
  /**
   * Workflow code bundled beforehand by bundleWorkflows, so that many workers
   * (a test suite's) share one bundling; without it the worker bundles the
   * workflows as it starts, from the sources it runs with.
   */
  workflowBundle?: WorkflowBundle | WorkflowBundlePath;
}

export async function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? taskQueueFromEnv(),
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities({ registry: builtinRegistry, ...options.activities }),
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
