import { z } from 'zod';
import type { AttributeType } from '../../src/dynamo/item-codec.ts';
import {
  decimalFromNumber,
  fitsPlaces,
  formatDecimal,
  limitSignificantDigits,
  parseDecimal,
  percentRange,
  rescale,
  type Decimal,
} from '../decimal.ts';
import { defineTransformer, type TransformerContext, type ValueFunction } from '../definition.ts';
import { randomBigIntExcept, seededValueFunction } from '../seeded-values.ts';

/** randomInt's and randomFloat's. */
export const NUMBER_TYPES: readonly AttributeType[] = ['N', 'NS', 'S', 'SS'];

export const randomFloat = defineTransformer({
  name: 'randomFloat',
  description:
    'Replaces a number (N, or S holding one) with a random decimal in a range, derived from the salt and the input; ' +
    'never the input itself when the range holds another value. The text is exact: as many places as asked, no exponent.',
  accepts: NUMBER_TYPES,
  produces: 'same',
  options: refineRange(
    z.strictObject({
      min: z.number().optional().describe('Lowest value of an absolute range (with `max`).'),
      max: z.number().optional().describe('Highest value of an absolute range (with `min`).'),
      percent: z.number().positive().optional().describe('Instead of `min` and `max`: a range around the input, ± this percentage of it (10: within ±10%).'),
      precision: z.int().min(0).max(38).optional().describe('Decimal places of the result; by default as many as the input shows (8.30 gives two).'),
    }),
  ),
  make: (options, context) => randomNumberValueFunction('randomFloat', options, context, (input) => options.precision ?? input.scale),
});

export interface RangeOptions {
  readonly min?: number | undefined;
  readonly max?: number | undefined;
  readonly percent?: number | undefined;
}

/** The checks randomInt and randomFloat share: an absolute range or a percentage, not both. */
export function refineRange<Schema extends z.ZodType<RangeOptions>>(schema: Schema): Schema {
  return schema
    .refine((o) => o.percent === undefined || (o.min === undefined && o.max === undefined), {
      message: 'give either `min` and `max` (an absolute range) or `percent` (a range around the input), not both',
    })
    .refine((o) => o.percent !== undefined || (o.min !== undefined && o.max !== undefined), {
      message: 'give `min` and `max` (an absolute range) or `percent` (a range around the input)',
    })
    .refine((o) => o.min === undefined || o.max === undefined || o.min <= o.max, { message: '`min` must not be greater than `max`', path: ['max'] });
}

/**
 * Draws uniformly among the values with `places(input)` decimal places in
 * the range, in exact integer arithmetic on units of 10^-places, and skips
 * the input's own value in the same draw. A range too narrow to hold any
 * such value widens to the nearest ones around it.
 */
export function randomNumberValueFunction(
  name: string,
  options: RangeOptions,
  context: TransformerContext,
  placesFor: (input: Decimal) => number,
): ValueFunction {
  const min = options.min === undefined ? undefined : decimalFromNumber(options.min);
  const max = options.max === undefined ? undefined : decimalFromNumber(options.max);
  const percent = options.percent === undefined ? undefined : decimalFromNumber(options.percent);
  return seededValueFunction({
    name,
    options,
    context,
    accepts: NUMBER_TYPES,
    expects: 'a number',
    allowUnchanged: true,
    derive(faker, text) {
      const input = parseDecimal(text);
      if (input === undefined) return undefined;
      const places = placesFor(input);
      const [lo, hi] = percent === undefined ? [min!, max!] : percentRange(input, percent);
      let loUnits = rescale(lo, places, 'ceil').units;
      let hiUnits = rescale(hi, places, 'floor').units;
      if (loUnits > hiUnits) [loUnits, hiUnits] = [hiUnits, loUnits];
      const inputUnits = fitsPlaces(input, places) ? rescale(input, places).units : undefined;
      const units = randomBigIntExcept(faker, loUnits, hiUnits, inputUnits);
      return formatDecimal(limitSignificantDigits({ units, scale: places }));
    },
  });
}
