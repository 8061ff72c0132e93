import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DefaultLogger } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { startLocalStack } from '../../src/local-stack/local-stack.ts';
import { bundleWorkflows } from '../../src/worker/worker.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    temporalAddress: string;
    temporalNamespace: string;
    /** The workflow code of this run, bundled once for every worker the tests start (a path: the code is ~2 MB). */
    workflowBundlePath: string;
  }
}

export default async function setup(project: TestProject) {
  const log = (line: string) => console.log(`[local stack] ${line}`);
  // A folder of this run's own, removed at teardown: no run can pick up a bundle built from older sources.
  const dir = await mkdtemp(join(tmpdir(), 'dynamask-e2e-'));
  const bundlePath = join(dir, 'workflow-bundle.js');
  const bundled = bundleWorkflows({ logger: new DefaultLogger('WARN', ({ level, message }) => log(`workflow bundle: ${level} ${message}`)) }).then(({ code }) =>
    writeFile(bundlePath, code),
  );
  const [started, written] = await Promise.allSettled([startLocalStack({ log }), bundled]);
  if (started.status === 'rejected' || written.status === 'rejected') {
    // Whichever half succeeded must not outlive the failure.
    if (started.status === 'fulfilled') await started.value.stop();
    await rm(dir, { recursive: true, force: true });
    throw started.status === 'rejected' ? started.reason : (written as PromiseRejectedResult).reason;
  }
  const stack = started.value;
  project.provide('dynamoEndpoint', stack.dynamoEndpoint);
  project.provide('temporalAddress', stack.temporalAddress);
  project.provide('temporalNamespace', stack.namespace);
  project.provide('workflowBundlePath', bundlePath);
  return async () => {
    await stack.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
