/**
 * Helpers shared by the place, coordinate and network built-ins: exact
 * decimal text, an empty S kept empty, the N/NS counterpart of `fakeStringValueFunction`, and the
 * coordinate value function behind `latitude` and `longitude`.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Faker } from '@faker-js/faker';
import { attributeType, type AttributeType } from '../../src/dynamo/item-codec.ts';
import type { TransformerContext, ValueFunction } from '../definition.ts';
import { formatPath, type Path } from '../path.ts';
import { TransformTypeError } from '../plan.ts';
import { MAX_ATTEMPTS, SeededFaker, fakeStringValueFunction, transformerScope, type FakeStringOptions } from '../seeded-faker.ts';

/**
 * An empty S holds nothing to anonymize, so it stays empty (the shared
 * `fakeStringValueFunction` would give it a fake, as it never returns its
 * input). A no-op once that helper does this itself.
 */
export function keepEmptyString(fn: ValueFunction): ValueFunction {
  return (value, path) => (value.S === '' ? value : fn(value, path));
}

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export interface ParsedDecimal {
  readonly value: number;
  /** Decimal places the text shows (`45.10` -> 2, `1e-7` -> 7, `12` -> 0). */
  readonly decimals: number;
}

/** Reads DynamoDB-style number text; undefined for anything else (including ''). */
export function parseDecimal(text: string): ParsedDecimal | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) return undefined;
  const [mantissa = '', exponent = '0'] = text.toLowerCase().split('e');
  const point = mantissa.indexOf('.');
  const fraction = point < 0 ? 0 : mantissa.length - point - 1;
  return { value, decimals: Math.max(0, fraction - Number(exponent)) };
}

/**
 * Plain decimal text with exactly `decimals` places: never exponent notation
 * (`toFixed` only uses it from 1e21 up) and never `-0`.
 */
export function formatDecimal(value: number, decimals: number): string {
  const text = value.toFixed(decimals);
  return /^-0(?:\.0*)?$/.test(text) ? text.slice(1) : text;
}

const DECIMAL_TYPES: readonly AttributeType[] = ['N', 'NS', 'S', 'SS'];

/**
 * `fakeStringValueFunction` extended to numbers: N -> N and NS -> NS as well
 * as S -> S and SS -> SS. `fake` returns decimal text. A number is compared by
 * value, not text, so `45.10` never comes back for `45.1` and an NS never
 * gets two equal numbers. The same input text gives the same fake in N and
 * in S. Definitions using it declare `accepts: ['N', 'NS', 'S', 'SS']`.
 */
export function fakeDecimalValueFunction(spec: FakeStringOptions): ValueFunction {
  const { name, options, context, fake } = spec;
  const strings = fakeStringValueFunction(spec);
  const seeded = new SeededFaker(context.salt, transformerScope(name, options));

  const derive = (input: string, path: Path, taken?: ReadonlySet<number>): string => {
    const inputValue = Number(input);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const output = fake(seeded.reseed(input, attempt), input);
      const value = Number(output);
      if (value !== inputValue && !taken?.has(value)) return output;
    }
    const from = taken === undefined ? 'the input' : 'its input element and the other fakes of its set';
    throw new Error(`${formatPath(path)}: transformer "${name}" found no fake distinct from ${from} after ${MAX_ATTEMPTS} attempts`);
  };

  return (value: AttributeValue, path: Path) => {
    if (value.N !== undefined) return { N: derive(value.N, path) };
    if (value.NS !== undefined) {
      // Sorted, like fakeStringValueFunction: the same set gives the same
      // fakes whatever order DynamoDB lists its elements in.
      const byInput = new Map<string, string>();
      const taken = new Set<number>();
      for (const element of [...value.NS].sort()) {
        const output = derive(element, path, taken);
        taken.add(Number(output));
        byInput.set(element, output);
      }
      return { NS: value.NS.map((element) => byInput.get(element)!) };
    }
    if (value.S !== undefined || value.SS !== undefined) return strings(value, path);
    throw new TransformTypeError(path, name, DECIMAL_TYPES, attributeType(value));
  };
}

export interface CoordinateAxis {
  /** Values lie in [-limit, limit]. */
  readonly limit: number;
  /**
   * The most kilometres one degree can span on this axis, so that a move of
   * `maxDistanceKm / kmPerDegree` degrees is never longer than maxDistanceKm.
   */
  readonly kmPerDegree: number;
  /** Brings a moved value back into range (over a pole, or across the antimeridian). */
  readonly normalize: (value: number) => number;
}

export const LATITUDE_AXIS: CoordinateAxis = {
  limit: 90,
  kmPerDegree: 111.7, // a degree of latitude spans 110.6 to 111.7 km
  normalize: (value) => (value > 90 ? 180 - value : value < -90 ? -180 - value : value),
};

export const LONGITUDE_AXIS: CoordinateAxis = {
  limit: 180,
  kmPerDegree: 111.33, // at the equator; less towards the poles
  normalize: (value) => (value > 180 ? value - 360 : value < -180 ? value + 360 : value),
};

/** Decimal places of a fake for input that shows none to copy (text that is not a number). */
export const DEFAULT_COORDINATE_DECIMALS = 6;
/** Beyond this, a double no longer holds the digits of a coordinate. */
export const MAX_COORDINATE_DECIMALS = 15;
/** With it, a move spans at most half the globe, so one `normalize` step brings it back into range. */
export const MAX_DISTANCE_KM = 20_000;

export interface CoordinateOptions {
  readonly maxDistanceKm?: number | undefined;
  readonly precision?: number | undefined;
}

/**
 * A coordinate for the input: uniformly random on the axis, or, with
 * maxDistanceKm, the input moved by up to that distance (at least one unit
 * of the precision, so a coarse value always moves).
 */
export function fakeCoordinate(faker: Faker, input: string, axis: CoordinateAxis, options: CoordinateOptions): string {
  const parsed = parseDecimal(input);
  const decimals = options.precision ?? Math.min(parsed?.decimals ?? DEFAULT_COORDINATE_DECIMALS, MAX_COORDINATE_DECIMALS);
  const origin = parsed !== undefined && Math.abs(parsed.value) <= axis.limit ? parsed.value : undefined;
  let value: number;
  if (options.maxDistanceKm === undefined || origin === undefined) {
    value = faker.number.float({ min: -axis.limit, max: axis.limit });
  } else {
    const reach = Math.max(options.maxDistanceKm / axis.kmPerDegree, 10 ** -decimals);
    value = axis.normalize(origin + faker.number.float({ min: -reach, max: reach }));
  }
  const output = formatDecimal(value, decimals);
  // Same number in other text (`+45.1` -> `45.1`): hand back the input, so
  // that the caller re-derives with the next attempt.
  return parsed !== undefined && Number(output) === parsed.value ? input : output;
}

export function coordinateValueFunction(name: string, axis: CoordinateAxis, options: CoordinateOptions, context: TransformerContext): ValueFunction {
  return keepEmptyString(fakeDecimalValueFunction({ name, options, context, fake: (faker, input) => fakeCoordinate(faker, input, axis, options) }));
}

/** The case of hex digits to write: upper only when the input has upper-case hex letters and no lower-case ones. */
export function hexCase(input: string): 'upper' | 'lower' {
  return /[A-F]/.test(input) && !/[a-f]/.test(input) ? 'upper' : 'lower';
}
