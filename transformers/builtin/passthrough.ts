import { z } from 'zod';
import { defineTransformer } from '../definition.ts';

export const passthrough = defineTransformer({
  name: 'passthrough',
  description: 'Copies the value unchanged.',
  accepts: 'any',
  produces: 'same',
  uniqueness: 'preserved',
  options: z.strictObject({}),
  dependsOnSalt: false,
  sample: { input: (i) => ({ S: `value ${i}` }) },
  make: () => (value) => value,
  makeInverse: () => (value) => value,
});
