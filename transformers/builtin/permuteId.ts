import { z } from 'zod';
import { defineTransformer, type TransformerContext, type ValueFunction } from '../definition.ts';
import { TransformValueError } from '../errors.ts';
import { classifyNumber } from '../fpe/formats.ts';
import { createPermutation, UnsupportedFormatError, type Permutation } from '../fpe/index.ts';
import { transformerScope } from '../seed-scope.ts';
import { mappedValueFunction } from '../seeded-values.ts';

const STRING_FORMATS = ['auto', 'digits', 'hex', 'uuid', 'alphanumeric'] as const;

export const permuteId = defineTransformer({
  name: 'permuteId',
  description:
    'Replaces an identifier with another of the same format, length and case, by a permutation keyed by the salt (FF1, NIST SP 800-38G): ' +
    'digit strings stay digits (leading zeros too), hex stays hex, a UUID keeps its version and variant, an alphanumeric ID keeps the class (digit, upper, lower) of each position; an N integer keeps its sign and number of digits. ' +
    'Two different inputs never become one, and the same identifier becomes the same output in every attribute and table of the job, so keys, GSI keys and references keep joining. ' +
    'Like any permutation it may leave a value as it was: likely only for very short values (one in ten for a single digit). An empty string stays empty.',
  accepts: ['S', 'SS', 'N', 'NS'],
  produces: 'same',
  uniqueness: 'preserved',
  options: z.strictObject({
    format: z
      .enum(STRING_FORMATS)
      .default('auto')
      .describe('The format strings must have: auto (default) takes each value\'s own; digits, hex, uuid or alphanumeric refuse other values (see `otherwise`). Numbers (N) are always permuted as integers.'),
    otherwise: z
      .enum(['error', 'passthrough'])
      .default('error')
      .describe(
        'What a value of no format (or not of `format`; for N, not an integer) becomes: error (default) fails the run naming the path, passthrough copies it as it is. No permuted value has no format, so copied values never meet permuted ones.',
      ),
    domain: z
      .string()
      .min(1)
      .optional()
      .describe('Gives this mapping a permutation of its own: identifiers of different kinds (users, orders) that share a format then map apart, so equal source values stop showing as equal outputs.'),
  }),
  sample: { input: (i) => ({ S: `3f2504e0-4f89-41d3-9a0c-0305e82c${String(i).padStart(4, '0')}` }) },
  make({ format, otherwise, domain }, context) {
    const permutation = permutationOf(context, domain);
    const copyOthers = otherwise === 'passthrough';
    const mapped = mappedValueFunction(context, {
      map(input, type) {
        try {
          if (type === 'N') return permutation.permuteNumber(input);
          if (format !== 'auto' && permutation.format(input) !== format) throw new NotOfFormat();
          return permutation.permute(input);
        } catch (error) {
          // Copied values meet no permuted one: every permuted value has a format, and these have none (or another).
          if (copyOthers && (error instanceof UnsupportedFormatError || error instanceof NotOfFormat)) return input;
          throw error;
        }
      },
    });
    const fn: ValueFunction = (value, path) => {
      try {
        return mapped(value, path);
      } catch (error) {
        if (!(error instanceof UnsupportedFormatError || error instanceof NotOfFormat)) throw error;
        const type = value.N !== undefined || value.NS !== undefined ? 'N' : 'S';
        throw new TransformValueError(path, context.name, type, identifierExpected(error, format, type));
      }
    };
    return fn;
  },
  makeInverse({ format, otherwise, domain }, context) {
    const permutation = permutationOf(context, domain);
    const copyOthers = otherwise === 'passthrough';
    // A permuted value keeps its input's format (fpe/formats.ts), so the
    // output's own format says which way `make` went: permuted, copied, or
    // (without passthrough) failed, which no output comes from.
    return (value) => {
      if (value.N !== undefined) {
        if (classifyNumber(value.N) === undefined) return copyOthers ? value : undefined;
        return { N: permutation.invertNumber(value.N) };
      }
      if (value.S === undefined) return undefined;
      if (value.S === '') return value;
      const own = permutation.format(value.S);
      if (own === undefined || (format !== 'auto' && own !== format)) return copyOthers ? value : undefined;
      return { S: permutation.invert(value.S) };
    };
  },
});

/**
 * The tweak leaves out `format` and `otherwise`: they choose which values
 * are permuted, not how, so an identifier maps alike under every form of
 * the mapping (and as a template part, in every attribute and table).
 */
function permutationOf(context: TransformerContext, domain: string | undefined): Permutation {
  return createPermutation(context.salt, transformerScope(context.name, domain === undefined ? {} : { domain }));
}

/** A string of another format than the mapping's `format` asks for. */
class NotOfFormat extends Error {}

/** Completes "cannot read this S value as …": why, from the job's options and the permutation's reason, never the value. */
function identifierExpected(error: UnsupportedFormatError | NotOfFormat, format: (typeof STRING_FORMATS)[number], type: 'S' | 'N'): string {
  if (type === 'N') return 'an integer written without leading zeros (otherwise: passthrough copies other numbers)';
  if (error instanceof NotOfFormat) return `an identifier of format ${format} (otherwise: passthrough copies other values)`;
  return `an identifier: ${error.message.replace(/^cannot permute this value as an identifier: /, '')}; otherwise: passthrough copies such values`;
}
