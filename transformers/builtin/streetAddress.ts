import { z } from 'zod';
import { defineTransformer } from '../definition.ts';
import { seededValueFunction } from '../seeded-values.ts';

export const streetAddress = defineTransformer({
  name: 'streetAddress',
  description: 'Replaces the value with a street address (building number and street, e.g. "7031 Heidi Mill"), derived from the salt and the input.',
  accepts: ['S', 'SS'],
  produces: 'same',
  uniqueness: 'not guaranteed',
  options: z.strictObject({}),
  sample: { input: (i) => ({ S: `${i} Main Street` }) },
  make: (_options, context) => seededValueFunction(context, { outputNoun: 'fake', derive: (faker) => faker.location.streetAddress() }),
});
