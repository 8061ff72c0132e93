import { z } from 'zod';
import { defineTransformer } from '../definition.ts';
import { NUMBER_TYPES, randomNumberValueFunction, refineRange } from '../random-number.ts';

export const randomInt = defineTransformer({
  name: 'randomInt',
  description:
    'Replaces a number (N, or S holding one) with a random integer in a range, derived from the salt and the input; ' +
    'never the input itself when the range holds another integer. Exact for integers of any size DynamoDB stores.',
  accepts: NUMBER_TYPES,
  produces: 'same',
  uniqueness: 'not guaranteed',
  options: refineRange(
    z.strictObject({
      min: z.int().optional().describe('Lowest value of an absolute range, inclusive (with `max`).'),
      max: z.int().optional().describe('Highest value of an absolute range, inclusive (with `min`).'),
      percent: z.number().positive().optional().describe('Instead of `min` and `max`: a range around the input, ± this percentage of it (10: within ±10%).'),
    }),
  ),
  sample: { options: { percent: 10 }, input: (i) => ({ N: String(1000 + i) }) },
  make: (options, context) => randomNumberValueFunction(options, context, () => 0),
});
