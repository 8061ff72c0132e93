import { z } from 'zod';
import { defineTransformer } from '../definition.ts';
import { fakeStringValueFunction } from '../seeded-faker.ts';

export const fullName = defineTransformer({
  name: 'fullName',
  description: 'Replaces the value with a full name, derived from the salt and the input.',
  accepts: ['S', 'SS'],
  produces: 'same',
  options: z.strictObject({}),
  make: (options, context) => fakeStringValueFunction({ name: 'fullName', options, context, fake: (faker) => faker.person.fullName() }),
});
