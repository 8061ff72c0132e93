import type { Faker } from '@faker-js/faker';
import { z } from 'zod';
import { defineTransformer } from '../definition.ts';
import { seededValueFunction } from '../seeded-values.ts';

export const zipCode = defineTransformer({
  name: 'zipCode',
  description:
    'Replaces a postal code with a fake one, derived from the salt and the input. By default it keeps the input\'s shape: each digit becomes a random digit, each letter a random letter of the same case, anything else stays ("SW1A 1AA" -> "KD4C 8ZP"); other input without letters or digits gets a US ZIP code. An empty string stays empty.',
  accepts: ['S', 'SS'],
  produces: 'same',
  // A fixed pattern holds few codes ("#####": 100,000); the input's shape holds as many as the input's own kind.
  uniqueness: { of: ({ format }) => (format === undefined ? 'not guaranteed' : 'lossy'), says: 'not guaranteed; lossy with `format`' },
  options: z.strictObject({
    format: z
      .string()
      .regex(/[#?*]/, 'must hold at least one of #, ? or *')
      .optional()
      .describe('Pattern of the output instead of the input\'s shape: "#" is a digit, "?" an upper-case letter, "*" either; other characters are copied ("#####-####").'),
  }),
  sample: { input: (i) => ({ S: String(10000 + i) }) },
  make(options, context) {
    const { format } = options;
    return seededValueFunction(context, {
      outputNoun: 'fake',
      derive: (faker, input) => (format !== undefined ? faker.helpers.replaceSymbols(format) : fakeLikeShape(faker, input)),
    });
  },
});

const LETTER_OR_DIGIT = /[\p{L}\p{Nd}]/u;
const DIGIT = /\p{Nd}/u;

function fakeLikeShape(faker: Faker, input: string): string {
  if (!LETTER_OR_DIGIT.test(input)) return faker.location.zipCode();
  let out = '';
  for (const char of input) {
    if (DIGIT.test(char)) out += String(faker.number.int(9));
    else if (LETTER_OR_DIGIT.test(char)) out += faker.string.alpha({ casing: char === char.toLowerCase() ? 'lower' : 'upper' });
    else out += char;
  }
  return out;
}
