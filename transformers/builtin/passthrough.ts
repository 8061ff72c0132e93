import { z } from 'zod';
import { defineTransformer } from '../definition.ts';

export const passthrough = defineTransformer({
  name: 'passthrough',
  description: 'Copies the value unchanged.',
  accepts: 'any',
  produces: 'same',
  options: z.strictObject({}),
  make: () => (value) => value,
});
