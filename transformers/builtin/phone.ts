import type { Faker } from '@faker-js/faker';
import { z } from 'zod';
import { defineTransformer } from '../definition.ts';
import { seededValueFunction } from '../seeded-values.ts';
import { replaceDigits } from './_replace-digits.ts';

/** A trailing extension: "x502", "ext. 42", "extension 7", "#12". */
const EXTENSION = /\s*(?:x|ext\.?|extension|#)\s*\d+\s*$/i;
/** E.164 caps a number at 15 digits, country code included. */
const E164_MAX_DIGITS = 15;
/** National digits of a fake when the length is not the input's (a North American number). */
const NATIONAL_DIGITS = 10;

/**
 * The 1- and 2-digit country calling codes (ITU-T E.164); every other code
 * has 3 digits. The codes are prefix-free, so the first digits of an
 * international number tell how long its country code is.
 */
const ONE_DIGIT_CODES = new Set(['1', '7']);
const TWO_DIGIT_CODES = new Set(
  '20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98'.split(' '),
);

export const phone = defineTransformer({
  name: 'phone',
  description:
    'Replaces a phone number with a fake one, derived from the salt and the input: by default in the same shape, ' +
    'keeping its country code. An empty string stays empty.',
  accepts: ['S', 'SS'],
  produces: 'same',
  uniqueness: 'not guaranteed',
  options: z.strictObject({
    format: z
      .enum(['preserve', 'e164', 'national'])
      .default('preserve')
      .describe(
        '"preserve": the input with every digit replaced and everything else (+, spaces, dashes, parentheses, dots, letters) in place, ' +
          'keeping its dialling prefix: the country code after a leading "+" or "00", or a leading trunk "0" or "1-"; an input with ' +
          'no other digit gets a "national" fake. "e164": like "+15551234567", with the input\'s country code when it starts with ' +
          '"+" or "00", else +1. "national": like "(555) 123-4567".',
      ),
    preserveLength: z
      .boolean()
      .default(true)
      .describe(
        'For "e164" and "national": give the fake as many digits as the input has after its dialling prefix (within E.164\'s 15 ' +
          'in all), else 10. "preserve" always keeps the length.',
      ),
  }),
  sample: { input: (i) => ({ S: `+1 (555) 010-${String(i).padStart(4, '0')}` }) },
  make(options, context) {
    const fake = (faker: Faker, input: string): string => {
      if (options.format === 'preserve') {
        const digits = input.replace(/\D/g, '');
        const kept = dialPrefix(input, digits).length;
        if (digits.length > kept) return replaceDigits(input, digits.slice(0, kept) + drawDigits(faker, digits.length - kept));
        return formatNational(drawDigits(faker, NATIONAL_DIGITS));
      }
      // An extension ("x502") is not part of the number rewritten.
      const digits = input.replace(EXTENSION, '').replace(/\D/g, '');
      const prefix = dialPrefix(input, digits);
      const countryCode = prefix.countryCode ?? '1';
      const national = digits.length - prefix.length;
      const length = options.preserveLength && national > 0 ? Math.min(national, E164_MAX_DIGITS - countryCode.length) : NATIONAL_DIGITS;
      return options.format === 'national' ? formatNational(drawDigits(faker, length)) : `+${countryCode}${drawDigits(faker, length)}`;
    };
    return seededValueFunction(context, { outputNoun: 'fake', derive: fake });
  },
});

interface DialPrefix {
  /** Leading digits that are not the national number: "+CC", "00CC", a trunk "0", or a North American "1-". */
  readonly length: number;
  /** Set for an international number. */
  readonly countryCode?: string;
}

function dialPrefix(input: string, digits: string): DialPrefix {
  if (/^\s*\+/.test(input) && digits.length > 0) {
    const countryCode = digits.slice(0, countryCodeLength(digits));
    return { length: countryCode.length, countryCode };
  }
  // No national number starts with "00": it is the international dialling prefix.
  if (digits.startsWith('00') && digits.length > 2) {
    const countryCode = digits.slice(2, 2 + countryCodeLength(digits.slice(2)));
    return { length: 2 + countryCode.length, countryCode };
  }
  // A trunk prefix ("020 7946 0958", "(030) 1234567") or a long-distance "1" written apart ("1-800-555-0199").
  return { length: digits.startsWith('0') || /^\s*1[\s.(-]/.test(input) ? 1 : 0 };
}

function countryCodeLength(digits: string): number {
  if (ONE_DIGIT_CODES.has(digits.slice(0, 1))) return 1;
  if (TWO_DIGIT_CODES.has(digits.slice(0, 2))) return 2;
  return 3;
}

/**
 * `count` digits, the first from 2-9: no real number starts its national
 * part with 0 or 1 (trunk and NANP rules), so neither does a fake.
 */
function drawDigits(faker: Faker, count: number): string {
  return String(faker.number.int({ min: 2, max: 9 })) + faker.string.numeric({ length: count - 1, allowLeadingZeros: true });
}

/** "(555) 123-4567" for 10 digits; otherwise groups of 3 then a dash and the last 4 ("555-1234", "12 345 678-9012"). */
function formatNational(digits: string): string {
  if (digits.length === 10) return `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`;
  if (digits.length <= 4) return digits;
  const head = digits.slice(0, -4);
  const groups: string[] = [];
  for (let end = head.length; end > 0; end -= 3) groups.unshift(head.slice(Math.max(0, end - 3), end));
  return `${groups.join(' ')}-${digits.slice(-4)}`;
}
