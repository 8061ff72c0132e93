import type { Faker } from '@faker-js/faker';
import { z } from 'zod';
import { defineTransformer } from '../definition.ts';
import { seededValueFunction } from '../seeded-values.ts';
import { replaceDigits } from './_replace-digits.ts';

/** Digits with single spaces or dashes between them; 12 to 19 digits make a card number. */
const CARD_SHAPE = /^\d+(?:[ -]\d+)*$/;
const MIN_CARD_DIGITS = 12;
const MAX_CARD_DIGITS = 19;
/** Length of a fake for an input that is not card-shaped, or without preserveFormat. */
const DEFAULT_CARD_DIGITS = 16;
/** First digits of the major networks (3 Amex/Diners/JCB, 4 Visa, 5 Mastercard, 6 Discover), drawn when none is kept. */
const NETWORK_DIGITS = ['3', '4', '5', '6'];

export const creditCard = defineTransformer({
  name: 'creditCard',
  description:
    'Replaces a payment card number with a fake, Luhn-valid one derived from the salt and the input, keeping its first ' +
    'digits (the network). An empty string stays empty.',
  accepts: ['S', 'SS'],
  produces: 'same',
  uniqueness: 'not guaranteed',
  options: z.strictObject({
    preserveFormat: z
      .boolean()
      .default(true)
      .describe(
        'Keep the input\'s length and its spaces or dashes, when it is 12-19 digits so separated. Otherwise, and when false, ' +
          'the fake is 16 digits without separators.',
      ),
    keepFirstDigits: z
      .int()
      .min(0)
      .max(8)
      .default(1)
      .describe('How many leading digits of a card-shaped input to keep (1: the network; 6 or 8: the issuer BIN). The check digit is recomputed.'),
  }),
  sample: { input: (i) => ({ S: `4111 1111 1111 ${String(i).padStart(4, '0')}` }) },
  make(options, context) {
    const fake = (faker: Faker, input: string): string => {
      const digits = input.replace(/\D/g, '');
      const cardShaped = CARD_SHAPE.test(input) && digits.length >= MIN_CARD_DIGITS && digits.length <= MAX_CARD_DIGITS;
      const length = cardShaped && options.preserveFormat ? digits.length : DEFAULT_CARD_DIGITS;
      // At least 3 drawn digits (keepFirstDigits <= 8 < 12 - 1), so the fakes of a BIN do not run out.
      const kept = cardShaped ? digits.slice(0, options.keepFirstDigits) : '';
      const first = kept === '' ? faker.helpers.arrayElement(NETWORK_DIGITS) : '';
      const payload = kept + first + faker.string.numeric({ length: length - 1 - kept.length - first.length, allowLeadingZeros: true });
      const number = payload + luhnCheckDigit(payload);
      return cardShaped && options.preserveFormat ? replaceDigits(input, number) : number;
    };
    return seededValueFunction(context, { outputNoun: 'fake', derive: fake });
  },
});

/** The digit that makes `payload` followed by it pass the Luhn check. */
function luhnCheckDigit(payload: string): string {
  let sum = 0;
  // The check digit will be rightmost (not doubled), so doubling starts at the payload's last digit.
  for (let i = payload.length - 1, double = true; i >= 0; i--, double = !double) {
    let digit = payload.charCodeAt(i) - 48;
    if (double) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return String((10 - (sum % 10)) % 10);
}
