import { z } from 'zod';
import { defineTransformer } from '../definition.ts';
import { fakeStringValueFunction } from '../seeded-faker.ts';

export const email = defineTransformer({
  name: 'email',
  description: 'Replaces an email address with a fake one, derived from the salt and the input.',
  accepts: ['S', 'SS'],
  produces: 'same',
  options: z.strictObject({
    preserveDomain: z.boolean().default(false).describe('Keep the part after the last "@" of the input (a fake domain when the input has none).'),
  }),
  make(options, context) {
    return fakeStringValueFunction({
      name: 'email',
      options,
      context,
      fake(faker, input) {
        const at = input.lastIndexOf('@');
        const domain = options.preserveDomain && at >= 0 && at < input.length - 1 ? input.slice(at + 1) : undefined;
        return faker.internet.email(domain === undefined ? undefined : { provider: domain });
      },
    });
  },
});
