import { z } from 'zod';
import { defineTransformer } from '../definition.ts';

export const nullTransformer = defineTransformer({
  name: 'null',
  description: 'Replaces the value with NULL.',
  accepts: 'any',
  produces: 'NULL',
  uniqueness: 'lossy',
  options: z.strictObject({}),
  dependsOnSalt: false,
  sample: { input: (i) => ({ S: `value ${i}` }) },
  make: () => () => ({ NULL: true }),
});
