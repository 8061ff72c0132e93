import { z } from 'zod';
import { defineTransformer } from '../definition.ts';
import { seededValueFunction } from '../seeded-values.ts';

export const fullName = defineTransformer({
  name: 'fullName',
  description: 'Replaces the value with a full name, derived from the salt and the input.',
  accepts: ['S', 'SS'],
  produces: 'same',
  uniqueness: 'not guaranteed',
  options: z.strictObject({}),
  sample: { input: (i) => ({ S: `Jane Doe ${i}` }) },
  make: (_options, context) => seededValueFunction(context, { outputNoun: 'fake', derive: (faker) => faker.person.fullName() }),
});
