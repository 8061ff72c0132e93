import { z } from 'zod';
import { defineTransformer } from '../definition.ts';
import { COORDINATE_TYPES, LATITUDE_AXIS, coordinateValueFunction, maxDistanceKmOption, precisionOption } from './_coordinates.ts';

export const latitude = defineTransformer({
  name: 'latitude',
  description:
    'Replaces a latitude (a decimal number of degrees in N, or in S) with a fake one in -90..90 of the same type, written as plain decimal text, derived from the salt and the input. Other S that holds no number gets a random latitude with 6 decimal places (or `precision`); an empty S stays empty.',
  accepts: COORDINATE_TYPES,
  produces: 'same',
  uniqueness: 'not guaranteed',
  options: z.strictObject({
    maxDistanceKm: maxDistanceKmOption(
      'Move the input north or south by up to this many kilometres (reflected at the poles) instead of drawing any latitude; by at least one unit of the precision, so a coarse value always moves.',
    ),
    precision: precisionOption,
  }),
  sample: { input: (i) => ({ N: `${(i % 90) + 0.123456}` }) },
  make: (options, context) => coordinateValueFunction(LATITUDE_AXIS, options, context),
});
