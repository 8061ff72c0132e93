/**
 * What `latitude` and `longitude` share: their axes, their options and the
 * value function that draws a coordinate, in exact decimals.
 */
import type { Faker } from '@faker-js/faker';
import { z } from 'zod';
import type { AttributeType } from '../../model/item.ts';
import { compareDecimals, decimalFromNumber, formatDecimal, parseDecimal, rescale, type Decimal } from '../../model/decimal.ts';
import type { TransformerContext, ValueFunction } from '../definition.ts';
import { randomBigInt, seededValueFunction } from '../seeded-values.ts';

export const COORDINATE_TYPES: readonly AttributeType[] = ['N', 'NS', 'S', 'SS'];

export interface CoordinateAxis {
  /** Values lie in [-limit, limit] degrees. */
  readonly limit: number;
  /**
   * The most kilometres one degree can span on this axis, so that a move of
   * `maxDistanceKm / kmPerDegree` degrees is never longer than maxDistanceKm.
   */
  readonly kmPerDegree: number;
  /**
   * Brings a moved value back into range (over a pole, or across the
   * antimeridian); `limit` is the axis limit in the value's units.
   */
  readonly normalize: (units: bigint, limit: bigint) => bigint;
}

export const LATITUDE_AXIS: CoordinateAxis = {
  limit: 90,
  kmPerDegree: 111.7, // a degree of latitude spans 110.6 to 111.7 km
  normalize: (units, limit) => (units > limit ? 2n * limit - units : units < -limit ? -2n * limit - units : units),
};

export const LONGITUDE_AXIS: CoordinateAxis = {
  limit: 180,
  kmPerDegree: 111.33, // at the equator; less towards the poles
  normalize: (units, limit) => (units > limit ? units - 2n * limit : units < -limit ? units + 2n * limit : units),
};

/** Decimal places of a fake for input that shows none to copy (text that is not a number). */
const DEFAULT_COORDINATE_DECIMALS = 6;
/** 10^-15 degrees is about 0.1 nm: far finer than any measured position. */
const MAX_COORDINATE_DECIMALS = 15;
/** With it, a move spans at most half the globe, so one `normalize` step brings it back into range. */
const MAX_DISTANCE_KM = 20_000;

/** The `maxDistanceKm` option; `description` says how the axis moves. */
export function maxDistanceKmOption(description: string) {
  return z.number().positive().max(MAX_DISTANCE_KM).optional().describe(description);
}

export const precisionOption = z
  .int()
  .min(0)
  .max(MAX_COORDINATE_DECIMALS)
  .optional()
  .describe(`Decimal places of the output; by default as many as the input shows (at most ${MAX_COORDINATE_DECIMALS}).`);

export interface CoordinateOptions {
  readonly maxDistanceKm?: number | undefined;
  readonly precision?: number | undefined;
}

/**
 * A coordinate for the input: uniformly random on the axis, or, with
 * maxDistanceKm, the input moved by up to that distance (at least one unit
 * of the precision, so a coarse value always moves).
 */
function fakeCoordinate(faker: Faker, input: string, axis: CoordinateAxis, options: CoordinateOptions): string {
  const parsed = parseDecimal(input);
  const places = options.precision ?? Math.min(parsed?.scale ?? DEFAULT_COORDINATE_DECIMALS, MAX_COORDINATE_DECIMALS);
  const limit = BigInt(axis.limit) * 10n ** BigInt(places);
  let units: bigint;
  if (options.maxDistanceKm === undefined || parsed === undefined || !withinLimit(parsed, axis.limit)) {
    units = randomBigInt(faker, -limit, limit);
  } else {
    const floored = rescale(decimalFromNumber(options.maxDistanceKm / axis.kmPerDegree), places, 'floor').units;
    const reach = floored > 0n ? floored : 1n;
    units = axis.normalize(rescale(parsed, places).units + randomBigInt(faker, -reach, reach), limit);
  }
  const output = { units, scale: places };
  // Same number in other text (`+45.1` -> `45.1`): hand back the input, so
  // that the caller re-derives with the next attempt.
  return parsed !== undefined && compareDecimals(output, parsed) === 0 ? input : formatDecimal(output);
}

function withinLimit(value: Decimal, limit: number): boolean {
  const magnitude = { units: value.units < 0n ? -value.units : value.units, scale: value.scale };
  return compareDecimals(magnitude, { units: BigInt(limit), scale: 0 }) <= 0;
}

/**
 * N -> N and S -> S (sets element by element, distinct by value in an NS),
 * the same fake for the same text in either. Definitions using it declare
 * `accepts: COORDINATE_TYPES` and `produces: 'same'`.
 */
export function coordinateValueFunction(axis: CoordinateAxis, options: CoordinateOptions, context: TransformerContext): ValueFunction {
  return seededValueFunction(context, { derive: (faker, input) => fakeCoordinate(faker, input, axis, options) });
}
