import { z } from 'zod';
import { defineTransformer } from '../definition.ts';
import { fakeStringValueFunction } from '../seeded-faker.ts';

export const streetAddress = defineTransformer({
  name: 'streetAddress',
  description: 'Replaces the value with a street address (building number and street, e.g. "7031 Heidi Mill"), derived from the salt and the input.',
  accepts: ['S', 'SS'],
  produces: 'same',
  options: z.strictObject({}),
  make: (options, context) => fakeStringValueFunction({ name: 'streetAddress', options, context, fake: (faker) => faker.location.streetAddress() }),
});
