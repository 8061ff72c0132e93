import { z } from 'zod';
import { DROP, defineTransformer } from '../definition.ts';

export const drop = defineTransformer({
  name: 'drop',
  description: 'Removes the value from the item; a list that loses an element closes the gap.',
  accepts: 'any',
  produces: 'none',
  uniqueness: 'lossy',
  options: z.strictObject({}),
  dependsOnSalt: false,
  sample: { input: (i) => ({ S: `value ${i}` }) },
  make: () => () => DROP,
});
