import { z } from 'zod';
import { defineTransformer } from '../definition.ts';
import { seededValueFunction } from '../seeded-values.ts';

export const username = defineTransformer({
  name: 'username',
  description: 'Replaces a username with a fake one (like "Nettie_Zboncak40"), derived from the salt and the input. An empty string stays empty.',
  accepts: ['S', 'SS'],
  produces: 'same',
  uniqueness: 'not guaranteed',
  options: z.strictObject({}),
  sample: { input: (i) => ({ S: `jdoe${i}` }) },
  make: (_options, context) => seededValueFunction(context, { outputNoun: 'fake', derive: (faker) => faker.internet.username() }),
});
