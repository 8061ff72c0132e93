/**
 * The workflow bundle a worker runs, made from the sources it runs with.
 *
 * Bundling (webpack and swc) leaves ~140 MB in the process that ran it,
 * which V8 never gives back (measured: a worker at 434 MB idle bundling
 * for itself, 256 MB with the same bundle made elsewhere). So a worker
 * bundles in a short-lived child process (bundle-process.ts) and keeps
 * only the code; the child's memory goes when it exits.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type Logger, type WorkflowBundle } from '@temporalio/worker';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));
const BUNDLE_PROCESS = fileURLToPath(new URL('./bundle-process.ts', import.meta.url));

/** What a bundle holds besides the workflows: the data converter's modules, which run inside the workflow sandbox. */
export interface BundleModules {
  failureConverterPath?: string;
  payloadConverterPath?: string;
}

/**
 * The bundle createWorker would make for itself: bundler options that a
 * worker's own bundling would use belong here too, or a prebuilt bundle
 * would run other workflow code than the worker it is given to.
 */
export async function bundleWorkflows(options: BundleModules & { logger?: Logger } = {}): Promise<WorkflowBundle> {
  const { logger, ...modules } = options;
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, ...definedOnly(modules), ...(logger ? { logger } : {}) });
  return { code };
}

/** Messages of bundle-process.ts. */
export type BundleMessage = { type: 'bundled'; code: string } | { type: 'failed'; message: string };

/** bundleWorkflows in a child process, whose memory goes when it is done. */
export function bundleWorkflowsInChild(modules: BundleModules = {}): Promise<WorkflowBundle> {
  // execArgv: [] keeps the parent's loader flags (vitest's, for one) out of the child.
  const child = fork(BUNDLE_PROCESS, [JSON.stringify(definedOnly(modules))], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise<WorkflowBundle>((resolve, reject) => {
    let settled = false;
    child.once('message', (message: BundleMessage) => {
      settled = true;
      if (message.type === 'bundled') resolve({ code: message.code });
      else reject(new Error(`bundling the workflows failed: ${message.message}`));
      child.disconnect();
    });
    child.once('error', (error) => {
      if (!settled) reject(new Error(`cannot start the process that bundles the workflows: ${error.message}`, { cause: error }));
      settled = true;
    });
    child.once('exit', (code, signal) => {
      if (!settled) reject(new Error(`the process that bundles the workflows exited (${signal ?? `code ${code}`}) before it was done`));
      settled = true;
    });
  });
}

function definedOnly(modules: BundleModules): BundleModules {
  return {
    ...(modules.failureConverterPath !== undefined ? { failureConverterPath: modules.failureConverterPath } : {}),
    ...(modules.payloadConverterPath !== undefined ? { payloadConverterPath: modules.payloadConverterPath } : {}),
  };
}
