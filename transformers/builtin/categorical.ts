import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import { attributeType, type AttributeType } from '../../model/item.ts';
import { decimalFromNumber, formatDecimal, numberKey } from '../../model/decimal.ts';
import { defineTransformer, type ValueFunction } from '../definition.ts';
import type { Path } from '../../model/path.ts';
import { TransformTypeError } from '../errors.ts';
import { seededValueFunction, valueKey, type ScalarType } from '../seeded-values.ts';

export const categorical = defineTransformer({
  name: 'categorical',
  description:
    'Replaces the value with one of `values`, picked from the salt and the input: strings for S, numbers for N. ' +
    'Never the input itself while the list holds another value of its type. In a set every element gets a value no other element got ' +
    'while the list has one left; after that elements merge and the set shrinks.',
  accepts: ['S', 'SS', 'N', 'NS'],
  produces: 'same',
  uniqueness: 'lossy',
  options: z.strictObject({
    values: z
      .array(z.union([z.string(), z.number()]))
      .min(1)
      .refine((values) => new Set(values.map(categoryKey)).size === values.length, { message: 'values must be distinct' })
      .describe('The values to pick from: strings replace S values, numbers N values.'),
  }),
  sample: { options: { values: ['red', 'green', 'blue'] }, input: (i) => ({ S: `colour ${i}` }) },
  make(options, context) {
    const strings = options.values.filter((value): value is string => typeof value === 'string');
    const numbers = options.values.filter((value): value is number => typeof value === 'number').map((value) => formatDecimal(decimalFromNumber(value)));
    // What these values can replace, for the type error.
    const accepts: AttributeType[] = [...(strings.length > 0 ? (['S', 'SS'] as const) : []), ...(numbers.length > 0 ? (['N', 'NS'] as const) : [])];
    const pools: Record<ScalarType, readonly Category[]> = {
      S: strings.map((text) => ({ text, key: text })),
      N: numbers.map((text) => ({ text, key: numberKey(text) })),
      B: [],
    };

    const pick = seededValueFunction(context, {
      // Avoids the input and the values taken by other elements of the set itself, as long as one is left.
      allowUnchanged: true,
      setDuplicates: 'merge',
      derive(faker, input, type, _attempt, taken) {
        const pool = pools[type];
        const inputKey = valueKey(type, input);
        const free = taken.size === 0 ? pool : pool.filter(({ key }) => !taken.has(key));
        const fresh = free.filter(({ key }) => key !== inputKey);
        const choices = fresh.length > 0 ? fresh : free.length > 0 ? free : pool;
        return faker.helpers.arrayElement(choices).text;
      },
    });

    const check: ValueFunction = (value: AttributeValue, path: Path) => {
      const type = attributeType(value);
      const pool = type === 'S' || type === 'SS' ? strings : type === 'N' || type === 'NS' ? numbers : undefined;
      if (pool?.length === 0) throw new TransformTypeError(path, context.name, accepts, type);
      return pick(value, path);
    };
    return check;
  },
});

/** A value of the list as text, with the key that tells it apart (`valueKey`). */
interface Category {
  readonly text: string;
  readonly key: string;
}

/** Strings and numbers never equal each other; numbers compare by value. */
function categoryKey(value: string | number): string {
  return typeof value === 'string' ? `S:${value}` : `N:${numberKey(String(value))}`;
}
