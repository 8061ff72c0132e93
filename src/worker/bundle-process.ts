/**
 * The child process that bundles the workflows for a worker
 * (workflow-bundle.ts): bundles once, sends the code, and exits, taking
 * the bundler's memory with it. Warnings and errors of the bundler go to
 * stderr, one line each, as the worker's own do.
 */
import { DefaultLogger } from '@temporalio/worker';
import { formatLogEntry } from './worker-logger.ts';
import { bundleWorkflows, type BundleMessage, type BundleModules } from './workflow-bundle.ts';

const modules = JSON.parse(process.argv[2] ?? '{}') as BundleModules;
const logger = new DefaultLogger('WARN', (entry) => process.stderr.write(`${formatLogEntry(entry)}\n`));
const send = (message: BundleMessage) => new Promise<void>((resolve) => process.send!(message, () => resolve()));

try {
  const { code } = await bundleWorkflows({ ...modules, logger });
  await send({ type: 'bundled', code });
} catch (error) {
  await send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
}
process.disconnect();
