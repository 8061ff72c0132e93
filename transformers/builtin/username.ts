import { z } from 'zod';
import { defineTransformer } from '../definition.ts';
import { fakeStringValueFunction } from '../seeded-faker.ts';

export const username = defineTransformer({
  name: 'username',
  description: 'Replaces a username with a fake one (like "Nettie_Zboncak40"), derived from the salt and the input. An empty string stays empty.',
  accepts: ['S', 'SS'],
  produces: 'same',
  options: z.strictObject({}),
  make: (options, context) => fakeStringValueFunction({ name: 'username', options, context, fake: (faker) => faker.internet.username() }),
});
