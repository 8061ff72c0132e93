import { z } from 'zod';
import { defineTransformer } from '../definition.ts';
import { seededValueFunction } from '../seeded-values.ts';

export const fullAddress = defineTransformer({
  name: 'fullAddress',
  description: 'Replaces the value with a one-line US address ("7031 Heidi Mill, Sigmundtown, ND 11893"), derived from the salt and the input.',
  accepts: ['S', 'SS'],
  produces: 'same',
  uniqueness: 'not guaranteed',
  options: z.strictObject({}),
  sample: { input: (i) => ({ S: `${i} Main Street, Springfield, IL 62704` }) },
  make: (_options, context) =>
    seededValueFunction(context, {
      outputNoun: 'fake',
      derive: (faker) =>
        `${faker.location.streetAddress()}, ${faker.location.city()}, ${faker.location.state({ abbreviated: true })} ${faker.location.zipCode()}`,
    }),
});
