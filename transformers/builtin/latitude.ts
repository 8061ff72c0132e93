import { z } from 'zod';
import { defineTransformer } from '../definition.ts';
import { LATITUDE_AXIS, MAX_COORDINATE_DECIMALS, MAX_DISTANCE_KM, coordinateValueFunction } from './_shared-places.ts';

export const latitude = defineTransformer({
  name: 'latitude',
  description:
    'Replaces a latitude (a decimal number of degrees in N, or in S) with a fake one in -90..90 of the same type, written as plain decimal text, derived from the salt and the input. Other S that holds no number gets a random latitude with 6 decimal places (or `precision`); an empty S stays empty.',
  accepts: ['N', 'NS', 'S', 'SS'],
  produces: 'same',
  options: z.strictObject({
    maxDistanceKm: z
      .number()
      .positive()
      .max(MAX_DISTANCE_KM)
      .optional()
      .describe(
        'Move the input north or south by up to this many kilometres (reflected at the poles) instead of drawing any latitude; by at least one unit of the precision, so a coarse value always moves.',
      ),
    precision: z
      .int()
      .min(0)
      .max(MAX_COORDINATE_DECIMALS)
      .optional()
      .describe(`Decimal places of the output; by default as many as the input shows (at most ${MAX_COORDINATE_DECIMALS}).`),
  }),
  make: (options, context) => coordinateValueFunction('latitude', LATITUDE_AXIS, options, context),
});
