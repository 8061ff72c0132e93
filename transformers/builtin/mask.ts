import { z } from 'zod';
import { defineTransformer } from '../definition.ts';
import { mappedValueFunction } from '../seeded-values.ts';

export const mask = defineTransformer({
  name: 'mask',
  description:
    'Replaces the characters of a string with a mask character, keeping the first `keepFirst` and the last `keepLast` (`****-****-****-1234`). ' +
    'No randomness: the output depends on the input alone. A value no longer than keepFirst + keepLast is masked whole, so it never comes back as it was. ' +
    'Set elements that mask alike merge.',
  accepts: ['S', 'SS'],
  produces: 'same',
  uniqueness: 'lossy',
  options: z.strictObject({
    keepFirst: z.int().min(0).default(0).describe('Characters kept at the start.'),
    keepLast: z.int().min(0).default(4).describe('Characters kept at the end.'),
    char: z
      .string()
      .refine((text) => [...text].length === 1, { message: 'must be a single character' })
      .default('*')
      .describe('The character written in place of each masked one.'),
    keepSeparators: z
      .boolean()
      .default(false)
      .describe('Keep spaces and dashes in place (unmasked and not counted by `keepFirst` and `keepLast`).'),
  }),
  dependsOnSalt: false,
  sample: { input: (i) => ({ S: `4111111111${String(i).padStart(6, '0')}` }) },
  make({ keepFirst, keepLast, char, keepSeparators }, context) {
    const isSeparator = (c: string): boolean => keepSeparators && (c === '-' || /\s/u.test(c));
    return mappedValueFunction(context, {
      map(input) {
        const chars = [...input];
        const maskable = chars.filter((c) => !isSeparator(c)).length;
        // Keeping first and last would keep everything: mask it all rather than return the value as it was.
        const [first, last] = keepFirst + keepLast >= maskable ? [0, 0] : [keepFirst, keepLast];
        let seen = 0;
        return chars
          .map((c) => {
            if (isSeparator(c)) return c;
            seen++;
            return seen <= first || seen > maskable - last ? c : char;
          })
          .join('');
      },
    });
  },
});
