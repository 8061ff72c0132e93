import type { Faker } from '@faker-js/faker';
import { z } from 'zod';
import { defineTransformer } from '../definition.ts';
import { MAX_ATTEMPTS, seededValueFunction } from '../seeded-values.ts';

export const lorem = defineTransformer({
  name: 'lorem',
  description:
    'Replaces text with as many lorem ipsum words as it has, derived from the salt and the input; ' +
    'a capital first letter and a final ".", "!" or "?" are kept. Text of spaces alone stays as it is.',
  accepts: ['S', 'SS'],
  produces: 'same',
  uniqueness: 'lossy',
  options: z.strictObject({}),
  sample: { input: (i) => ({ S: `A re-creation of the rivalry number ${i}.` }) },
  make(_options, context) {
    return seededValueFunction(context, {
      // loremLike() redraws on its own when it meets its input; text without words it returns as is.
      allowUnchanged: true,
      derive: (faker, input) => loremLike(faker, input),
    });
  },
});

const WORD_SEPARATOR = /\s+/u;
const CAPITAL_FIRST = /^[^\p{L}]*\p{Lu}/u;

function loremLike(faker: Faker, input: string): string {
  const count = input.split(WORD_SEPARATOR).filter((word) => word !== '').length;
  if (count === 0) return input;
  const capital = CAPITAL_FIRST.test(input);
  const end = /[.!?]$/u.exec(input.trimEnd())?.[0] ?? '';
  let output = input;
  // A one-word input may well be a lorem word itself; draw on from the same stream until the text differs.
  for (let i = 0; output === input && i < MAX_ATTEMPTS; i++) {
    const words = Array.from({ length: count }, () => faker.lorem.word()).join(' ');
    output = (capital ? words[0]!.toUpperCase() + words.slice(1) : words) + end;
  }
  return output;
}
