import type { TestProject } from 'vitest/node';
import { startLocalStack } from '../../src/local-stack/local-stack.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    temporalAddress: string;
    temporalNamespace: string;
  }
}

export default async function setup(project: TestProject) {
  const stack = await startLocalStack({ log: (line) => console.log(`[local stack] ${line}`) });
  project.provide('dynamoEndpoint', stack.dynamoEndpoint);
  project.provide('temporalAddress', stack.temporalAddress);
  project.provide('temporalNamespace', stack.namespace);
  return () => stack.stop();
}
