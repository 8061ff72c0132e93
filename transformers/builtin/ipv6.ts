import { z } from 'zod';
import { defineTransformer } from '../definition.ts';
import { seededValueFunction } from '../seeded-values.ts';
import { hexCase } from './_hex-case.ts';

export const ipv6 = defineTransformer({
  name: 'ipv6',
  description:
    'Replaces the value with an IPv6 address in full form (eight groups of four hex digits), derived from the salt and the input; upper case when the input is.',
  accepts: ['S', 'SS'],
  produces: 'same',
  uniqueness: 'not guaranteed',
  options: z.strictObject({}),
  sample: { input: (i) => ({ S: `2001:db8::${i.toString(16)}` }) },
  make: (_options, context) =>
    seededValueFunction(context, {
      outputNoun: 'fake',
      derive(faker, input) {
        // Eight 16-bit draws rather than faker.internet.ipv6()'s 32 one-digit ones: a third of the time.
        const out = Array.from({ length: 8 }, () => faker.number.int(0xffff).toString(16).padStart(4, '0')).join(':');
        return hexCase(input) === 'upper' ? out.toUpperCase() : out;
      },
    }),
});
