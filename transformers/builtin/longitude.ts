import { z } from 'zod';
import { defineTransformer } from '../definition.ts';
import { COORDINATE_TYPES, LONGITUDE_AXIS, coordinateValueFunction, maxDistanceKmOption, precisionOption } from './_coordinates.ts';

export const longitude = defineTransformer({
  name: 'longitude',
  description:
    'Replaces a longitude (a decimal number of degrees in N, or in S) with a fake one in -180..180 of the same type, written as plain decimal text, derived from the salt and the input. Other S that holds no number gets a random longitude with 6 decimal places (or `precision`); an empty S stays empty.',
  accepts: COORDINATE_TYPES,
  produces: 'same',
  uniqueness: 'not guaranteed',
  options: z.strictObject({
    maxDistanceKm: maxDistanceKmOption(
      'Move the input east or west by up to this many kilometres (as measured at the equator, so never more; wrapping at the antimeridian) instead of drawing any longitude; by at least one unit of the precision, so a coarse value always moves.',
    ),
    precision: precisionOption,
  }),
  sample: { input: (i) => ({ N: `${(i % 180) - 0.654321}` }) },
  make: (options, context) => coordinateValueFunction(LONGITUDE_AXIS, options, context),
});
