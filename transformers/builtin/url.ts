import { z } from 'zod';
import { defineTransformer } from '../definition.ts';
import { seededValueFunction } from '../seeded-values.ts';

/** scheme://authority, then the path; query and fragment are left out. Always matches. */
const URL_PARTS = /^(?:([a-z][a-z0-9+.-]*:)?\/\/)?[^/?#]*([^?#]*)/i;

export const url = defineTransformer({
  name: 'url',
  description: 'Replaces a URL with a fake one, derived from the salt and the input.',
  accepts: ['S', 'SS'],
  produces: 'same',
  uniqueness: 'not guaranteed',
  options: z.strictObject({
    preservePath: z
      .boolean()
      .default(false)
      .describe(
        'Keep the input\'s scheme and path and replace only the host ("https://shop.example.com/cart/42?u=ada" -> "https://vivid-grass.info/cart/42"); user info, port, query and fragment are dropped, as they often identify someone. When false, the whole URL is fake.',
      ),
  }),
  sample: { input: (i) => ({ S: `https://example.com/users/${i}` }) },
  make(options, context) {
    return seededValueFunction(context, {
      outputNoun: 'fake',
      derive(faker, input) {
        if (!options.preservePath) return faker.internet.url();
        const [, scheme, path = ''] = URL_PARTS.exec(input)!;
        const prefix = scheme === undefined ? (input.startsWith('//') ? '//' : '') : `${scheme}//`;
        return `${prefix}${faker.internet.domainName()}${path}`;
      },
    });
  },
});
