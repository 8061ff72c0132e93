/**
 * Workflow bundles made beforehand (`dynamask bundle`), and whether a
 * worker can run the one it is given. A bundle holds its failure converter
 * (the worker's data converter names it by path, and it runs inside the
 * workflow sandbox), so a bundle made for plain workers would leave an
 * encrypting worker's workflow failures unencoded, and the other way round.
 * The bundle says which it holds in its first line; a bundle without that
 * line (made before it existed, or by bundleWorkflowCode directly) holds
 * Temporal's default.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { WorkflowBundle, WorkflowBundlePath } from '@temporalio/worker';

export type BundleFailures = 'encoded' | 'default';

const HEADER = /^\/\/ dynamask workflow bundle; failures: (encoded|default)\n/;

export function bundleHeader(failures: BundleFailures): string {
  return `// dynamask workflow bundle; failures: ${failures}\n`;
}

/** What the bundle's first line says, reading only that line of a file. */
export function bundleFailures(bundle: WorkflowBundle | WorkflowBundlePath): BundleFailures {
  const start = 'code' in bundle ? bundle.code.slice(0, 80) : firstBytes(bundle.codePath, 80);
  return (HEADER.exec(start)?.[1] as BundleFailures | undefined) ?? 'default';
}

export type BundleChoice = { use: true } | { use: false; warning: string };

/**
 * An encrypting worker given a plain bundle bundles for itself (as before
 * bundles said what they hold), saying so; a plain worker given an
 * encrypting bundle is refused, since it could not read what its encrypting
 * clients send either.
 */
export function chooseBundle(failures: BundleFailures, workerEncodesFailures: boolean, file: string): BundleChoice {
  if (failures === 'encoded' && !workerEncodesFailures) {
    throw new Error(`the workflow bundle ${file} encodes failures for codec keys this worker does not have (DYNAMASK_CODEC_KEY_PATH or DYNAMASK_CODEC_KEY_DATA): give the worker the keys, or a bundle made without --encrypted`);
  }
  if (failures === 'default' && workerEncodesFailures) {
    return { use: false, warning: `the workflow bundle ${file} was made without --encrypted and this worker encrypts, so it bundles the workflows itself; make the bundle with \`dynamask bundle --encrypted\` to skip that` };
  }
  return { use: true };
}

function firstBytes(path: string, length: number): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    return buffer.toString('utf8', 0, readSync(fd, buffer, 0, length, 0));
  } finally {
    closeSync(fd);
  }
}
