import { z } from 'zod';
import { defineTransformer } from '../definition.ts';
import { fakeStringValueFunction } from '../seeded-faker.ts';

export const username = defineTransformer({
  name: 'username',
  description: 'Replaces a username with a fake one (like "Nettie_Zboncak40"), derived from the salt and the input. An empty string stays empty.',
  accepts: ['S', 'SS'],
  produces: 'same',
  options: z.strictObject({}),
  make(options, context) {
    const fn = fakeStringValueFunction({ name: 'username', options, context, fake: (faker) => faker.internet.username() });
    // '' holds nothing to anonymize, and a made-up value would read as data that was never there.
    return (value, path) => (value.S === '' ? value : fn(value, path));
  },
});
