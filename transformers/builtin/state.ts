import { z } from 'zod';
import { defineTransformer } from '../definition.ts';
import { seededValueFunction } from '../seeded-values.ts';

export const state = defineTransformer({
  name: 'state',
  description:
    'Replaces the value with a US state, derived from the salt and the input. There are only 50, and each element of a set must change and stay distinct, so a set of nearly all states may fail.',
  accepts: ['S', 'SS'],
  produces: 'same',
  uniqueness: 'lossy',
  options: z.strictObject({
    abbreviated: z.boolean().default(false).describe('Write the two-letter postal code ("OR") instead of the name ("Oregon").'),
  }),
  sample: { input: (i) => ({ S: `State ${i}` }) },
  make: (options, context) =>
    seededValueFunction(context, { outputNoun: 'fake', derive: (faker) => faker.location.state({ abbreviated: options.abbreviated }) }),
});
