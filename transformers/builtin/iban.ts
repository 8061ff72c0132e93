import { EN, Faker } from '../faker-en.ts';
import { z } from 'zod';
import { defineTransformer } from '../definition.ts';
import { seededValueFunction } from '../seeded-values.ts';

/** Printed form: groups of 4 separated by single spaces, the last group possibly shorter. */
const GROUPED_IN_FOURS = /^[A-Za-z0-9]{4}(?: [A-Za-z0-9]{4})*(?: [A-Za-z0-9]{1,3})?$/;
const COUNTRY_PREFIX = /^[A-Za-z]{2}/;

export const iban = defineTransformer({
  name: 'iban',
  description:
    'Replaces an IBAN with a fake, valid one (mod-97 check digits) derived from the salt and the input: of the same ' +
    'country when the input starts with a country code faker knows, else of any; grouped in fours when the input is. ' +
    'An empty string stays empty.',
  accepts: ['S', 'SS'],
  produces: 'same',
  uniqueness: 'not guaranteed',
  options: z.strictObject({}),
  sample: { input: () => ({ S: 'DE89370400440532013000' }) },
  make(_options, context) {
    const fake = (faker: Faker, input: string): string => {
      const formatted = input.includes(' ') && GROUPED_IN_FOURS.test(input);
      const countryCode = COUNTRY_PREFIX.exec(input)?.[0].toUpperCase();
      return countryCode !== undefined && fakerKnowsCountry(countryCode)
        ? faker.finance.iban({ countryCode, formatted })
        : faker.finance.iban({ formatted });
    };
    return seededValueFunction(context, { outputNoun: 'fake', derive: fake });
  },
});

/**
 * Faker keeps its IBAN formats private, so ask it (once per code) with a
 * faker of its own: the seeded one's stream stays untouched either way.
 * It throws its FakerError for a code it has no format for, a class its
 * English-only entry (faker-en.ts) does not export: any error means no.
 */
const probe = new Faker({ locale: EN });
const knownCountries = new Map<string, boolean>();

function fakerKnowsCountry(countryCode: string): boolean {
  let known = knownCountries.get(countryCode);
  if (known === undefined) {
    try {
      probe.finance.iban({ countryCode });
      known = true;
    } catch {
      known = false;
    }
    knownCountries.set(countryCode, known);
  }
  return known;
}
