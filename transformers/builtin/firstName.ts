import { z } from 'zod';
import { defineTransformer } from '../definition.ts';
import { fakeStringValueFunction } from '../seeded-faker.ts';

export const firstName = defineTransformer({
  name: 'firstName',
  description: 'Replaces the value with a first name, derived from the salt and the input.',
  accepts: ['S', 'SS'],
  produces: 'same',
  options: z.strictObject({}),
  make: (options, context) => fakeStringValueFunction({ name: 'firstName', options, context, fake: (faker) => faker.person.firstName() }),
});
