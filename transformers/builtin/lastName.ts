import { z } from 'zod';
import { defineTransformer } from '../definition.ts';
import { fakeStringValueFunction } from '../seeded-faker.ts';

export const lastName = defineTransformer({
  name: 'lastName',
  description: 'Replaces the value with a last name, derived from the salt and the input.',
  accepts: ['S', 'SS'],
  produces: 'same',
  options: z.strictObject({}),
  make: (options, context) => fakeStringValueFunction({ name: 'lastName', options, context, fake: (faker) => faker.person.lastName() }),
});
