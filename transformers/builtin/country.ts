import type { Faker } from '@faker-js/faker';
import { z } from 'zod';
import { defineTransformer } from '../definition.ts';
import { seededValueFunction } from '../seeded-values.ts';

export const country = defineTransformer({
  name: 'country',
  description: 'Replaces the value with a country (name or ISO 3166-1 code), derived from the salt and the input.',
  accepts: ['S', 'SS'],
  produces: 'same',
  uniqueness: 'lossy',
  options: z.strictObject({
    code: z
      .enum(['name', 'alpha2', 'alpha3'])
      .default('name')
      .describe('What to write: the English name ("Finland"), the ISO 3166-1 alpha-2 code ("FI") or the alpha-3 code ("FIN").'),
  }),
  sample: { input: (i) => ({ S: `Country ${i}` }) },
  make(options, context) {
    const fake = {
      name: (faker: Faker) => faker.location.country(),
      alpha2: (faker: Faker) => faker.location.countryCode('alpha-2'),
      alpha3: (faker: Faker) => faker.location.countryCode('alpha-3'),
    }[options.code];
    return seededValueFunction(context, { outputNoun: 'fake', derive: fake });
  },
});
