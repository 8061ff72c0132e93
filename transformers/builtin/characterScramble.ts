import type { Faker } from '@faker-js/faker';
import { z } from 'zod';
import { defineTransformer } from '../definition.ts';
import { indexDrawer } from '../seeded-faker.ts';
import { seededValueFunction } from '../seeded-values.ts';

export const characterScramble = defineTransformer({
  name: 'characterScramble',
  description:
    'Replaces every letter with a random ASCII letter of the same case and every digit with a random digit, derived from the salt and the input; ' +
    'spaces, punctuation and other characters stay in place, so the value keeps its length (in characters) and shape.',
  accepts: ['S', 'SS'],
  produces: 'same',
  uniqueness: 'not guaranteed',
  options: z.strictObject({}),
  sample: { input: (i) => ({ S: `Order #${i}, shipped to Jane Doe` }) },
  make(_options, context) {
    return seededValueFunction(context, {
      // scramble() changes the input whenever it holds a letter or a digit; without one there is nothing to change.
      allowUnchanged: true,
      derive: (faker, input) => scramble(faker, input),
    });
  },
});

type CharClass = 'upper' | 'lower' | 'digit';

const ALPHABETS: Record<CharClass, string> = {
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  lower: 'abcdefghijklmnopqrstuvwxyz',
  digit: '0123456789',
};

/** The class a character is replaced within; undefined to keep it. Letters without case count as lower case. */
function charClass(char: string): CharClass | undefined {
  const code = char.charCodeAt(0);
  if (code >= 65 && code <= 90) return 'upper';
  if (code >= 97 && code <= 122) return 'lower';
  if (code >= 48 && code <= 57) return 'digit';
  if (code < 128) return undefined;
  if (/\p{Lu}|\p{Lt}/u.test(char)) return 'upper';
  if (/\p{L}/u.test(char)) return 'lower';
  if (/\p{Nd}/u.test(char)) return 'digit';
  return undefined;
}

function scramble(faker: Faker, input: string): string {
  // One draw per letter or digit: faker.number.int's option handling was most of a long value's cost.
  const draw = indexDrawer(faker);
  const chars = [...input]; // code points, so a character outside the BMP is one character
  let first = -1;
  let changed = false;
  for (let i = 0; i < chars.length; i++) {
    const cls = charClass(chars[i]!);
    if (cls === undefined) continue;
    const alphabet = ALPHABETS[cls];
    const replacement = alphabet[draw(alphabet.length)]!;
    if (first < 0) first = i;
    if (replacement !== chars[i]) changed = true;
    chars[i] = replacement;
  }
  if (!changed && first >= 0) {
    // Every draw hit its own character (likely only for a short value): move the first one to another character of its class.
    const alphabet = ALPHABETS[charClass(chars[first]!)!];
    const index = alphabet.indexOf(chars[first]!);
    chars[first] = alphabet[(index + 1 + draw(alphabet.length - 1)) % alphabet.length]!;
  }
  return chars.join('');
}
