import { z } from 'zod';
import { defineTransformer } from '../definition.ts';
import { seededValueFunction } from '../seeded-values.ts';

export const firstName = defineTransformer({
  name: 'firstName',
  description: 'Replaces the value with a first name, derived from the salt and the input.',
  accepts: ['S', 'SS'],
  produces: 'same',
  uniqueness: 'lossy',
  options: z.strictObject({}),
  sample: { input: (i) => ({ S: `Jane${i}` }) },
  make: (_options, context) => seededValueFunction(context, { outputNoun: 'fake', derive: (faker) => faker.person.firstName() }),
});
