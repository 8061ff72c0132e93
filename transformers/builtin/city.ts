import { z } from 'zod';
import { defineTransformer } from '../definition.ts';
import { fakeStringValueFunction } from '../seeded-faker.ts';

export const city = defineTransformer({
  name: 'city',
  description: 'Replaces the value with a city name, derived from the salt and the input.',
  accepts: ['S', 'SS'],
  produces: 'same',
  options: z.strictObject({}),
  make: (options, context) => fakeStringValueFunction({ name: 'city', options, context, fake: (faker) => faker.location.city() }),
});
