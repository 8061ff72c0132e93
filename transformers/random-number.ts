/**
 * What `randomInt` and `randomFloat` share: the types they take, the checks
 * on their range options, and the value function that draws a number in the
 * range, in exact decimals.
 */
import { z } from 'zod';
import type { AttributeType } from '../model/item.ts';
import { decimalFromNumber, fitsPlaces, formatDecimal, limitSignificantDigits, parseDecimal, percentRange, rescale, type Decimal } from '../model/decimal.ts';
import type { TransformerContext, ValueFunction } from './definition.ts';
import { randomBigIntExcept, seededValueFunction } from './seeded-values.ts';

export const NUMBER_TYPES: readonly AttributeType[] = ['N', 'NS', 'S', 'SS'];

export interface RangeOptions {
  readonly min?: number | undefined;
  readonly max?: number | undefined;
  readonly percent?: number | undefined;
}

/** An absolute range or a percentage, not both. */
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
export function randomNumberValueFunction(options: RangeOptions, context: TransformerContext, placesFor: (input: Decimal) => number): ValueFunction {
  const min = options.min === undefined ? undefined : decimalFromNumber(options.min);
  const max = options.max === undefined ? undefined : decimalFromNumber(options.max);
  const percent = options.percent === undefined ? undefined : decimalFromNumber(options.percent);
  return seededValueFunction(context, {
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
