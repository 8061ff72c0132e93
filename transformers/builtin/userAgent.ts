import { z } from 'zod';
import { defineTransformer } from '../definition.ts';
import { seededValueFunction } from '../seeded-values.ts';

export const userAgent = defineTransformer({
  name: 'userAgent',
  description: 'Replaces the value with a browser user-agent string, derived from the salt and the input.',
  accepts: ['S', 'SS'],
  produces: 'same',
  uniqueness: 'not guaranteed',
  options: z.strictObject({}),
  sample: { input: (i) => ({ S: `Mozilla/5.0 (X11; Linux x86_64) Agent/${i}` }) },
  make: (_options, context) => seededValueFunction(context, { outputNoun: 'fake', derive: (faker) => faker.internet.userAgent() }),
});
