import { z } from 'zod';
import { defineTransformer } from '../definition.ts';
import { NUMBER_TYPES, randomNumberValueFunction, refineRange } from '../random-number.ts';

export const randomFloat = defineTransformer({
  name: 'randomFloat',
  description:
    'Replaces a number (N, or S holding one) with a random decimal in a range, derived from the salt and the input; ' +
    'never the input itself when the range holds another value. The text is exact: as many places as asked, no exponent.',
  accepts: NUMBER_TYPES,
  produces: 'same',
  uniqueness: 'not guaranteed',
  options: refineRange(
    z.strictObject({
      min: z.number().optional().describe('Lowest value of an absolute range (with `max`).'),
      max: z.number().optional().describe('Highest value of an absolute range (with `min`).'),
      percent: z.number().positive().optional().describe('Instead of `min` and `max`: a range around the input, ± this percentage of it (10: within ±10%).'),
      precision: z.int().min(0).max(38).optional().describe('Decimal places of the result; by default as many as the input shows (8.30 gives two).'),
    }),
  ),
  sample: { options: { percent: 10 }, input: (i) => ({ N: `${i}.25` }) },
  make: (options, context) => randomNumberValueFunction(options, context, (input) => options.precision ?? input.scale),
});
