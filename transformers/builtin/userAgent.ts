import { z } from 'zod';
import { defineTransformer } from '../definition.ts';
import { fakeStringValueFunction } from '../seeded-faker.ts';

export const userAgent = defineTransformer({
  name: 'userAgent',
  description: 'Replaces the value with a browser user-agent string, derived from the salt and the input.',
  accepts: ['S', 'SS'],
  produces: 'same',
  options: z.strictObject({}),
  make: (options, context) => fakeStringValueFunction({ name: 'userAgent', options, context, fake: (faker) => faker.internet.userAgent() }),
});
