import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { EN, type Faker } from '../faker-en.ts';
import { z } from 'zod';
import { defineTransformer } from '../definition.ts';
import { seededValueFunction } from '../seeded-values.ts';

/** The shortest address of the shape `local@label.tld`: `a@b.co`. */
const MIN_ADDRESS_LENGTH = 6;

/** A fake domain that leaves a shorter local part than this (and than the input allows) is swapped for a made-up one. */
const MIN_FAKE_LOCAL_LENGTH = 3;

/** Faker's default providers (gmail.com, yahoo.com, hotmail.com). */
const FREE_EMAIL_PROVIDERS: readonly string[] = EN.internet?.free_email ?? [];

/** Redraws of a fake domain that landed in `excludedDomains` before giving up. */
const MAX_DOMAIN_DRAWS = 20;

export const email = defineTransformer({
  name: 'email',
  description:
    'Replaces an email address with a fake one, derived from the salt and the input. ' +
    'Addresses in `excludedDomains` pass through unchanged; an empty string stays empty.',
  accepts: ['S', 'SS'],
  produces: 'same',
  uniqueness: 'not guaranteed',
  options: z.strictObject({
    preserveDomain: z.boolean().default(false).describe('Keep the part after the last "@" of the input (a fake domain when the input has none).'),
    preserveLength: z
      .boolean()
      .default(false)
      .describe(
        'Give the fake as many characters as the input, by trimming or padding (digits, or more name parts) its local part; with ' +
          'a fake domain too long to fit, a shorter made-up one. Inputs that cannot keep their length as `x@y.zz` (shorter than 6 characters, ' +
          'or with preserveDomain and no local part) get a fake of the usual length.',
      ),
    excludedDomains: z
      .array(z.string().regex(/^[^@\s]+$/, 'a domain, without "@" or spaces'))
      .default([])
      .describe(
        'Domains (compared case-insensitively, subdomains not included) whose addresses pass through unchanged, such as internal ' +
          'test accounts; the only case where this transformer returns its input. Fakes are never drawn in these domains.',
      ),
  }),
  sample: { input: (i) => ({ S: `jane.doe${i}@example.com` }) },
  make(options, context) {
    const excluded = new Set(options.excludedDomains.map((domain) => domain.toLowerCase()));
    const isExcluded = (domain: string) => excluded.has(domain.toLowerCase());
    const providers = FREE_EMAIL_PROVIDERS.filter((provider) => !isExcluded(provider));

    /** A domain for the fake, never an excluded one; `length` asks for a made-up domain of that many (>= 4) characters. */
    const fakeDomain = (faker: Faker, length?: number): string => {
      for (let draw = 0; draw < MAX_DOMAIN_DRAWS; draw++) {
        const domain =
          length !== undefined
            ? length >= 5
              ? `${faker.string.alpha({ length: length - 4, casing: 'lower' })}.com`
              : `${faker.string.alpha({ length: length - 3, casing: 'lower' })}.io`
            : providers.length > 0
              ? faker.helpers.arrayElement(providers)
              : faker.internet.domainName();
        if (!isExcluded(domain)) return domain;
      }
      throw new Error(`transformer "${context.name}" drew only excluded domains after ${MAX_DOMAIN_DRAWS} attempts`);
    };

    const fake = (faker: Faker, input: string): string => {
      const at = input.lastIndexOf('@');
      const inputDomain = at >= 0 && at < input.length - 1 ? input.slice(at + 1) : undefined;
      const keptDomain = options.preserveDomain ? inputDomain : undefined;
      let domain = keptDomain ?? fakeDomain(faker);
      const local = localPart(faker.internet.email({ provider: domain }));
      if (!options.preserveLength || input.length < MIN_ADDRESS_LENGTH) return `${local}@${domain}`;

      // The longest local part a made-up domain (at least "x.io") leaves.
      const roomy = input.length - (MIN_ADDRESS_LENGTH - 1);
      let localLength = input.length - domain.length - 1;
      if (keptDomain !== undefined) {
        if (localLength < 1) return `${local}@${domain}`; // "@example.org": no local part to give a length
      } else if (localLength < Math.min(MIN_FAKE_LOCAL_LENGTH, roomy)) {
        // The drawn domain leaves too little room: make up a shorter one,
        // keeping the input's split between local part and domain if it can.
        localLength = Math.min(Math.max(at, MIN_FAKE_LOCAL_LENGTH), roomy);
        domain = fakeDomain(faker, input.length - localLength - 1);
      }
      return `${fitLocalPart(faker, local, localLength)}@${domain}`;
    };

    const fn = seededValueFunction(context, { outputNoun: 'fake', derive: fake });
    const passesThrough = (input: string): boolean => {
      const at = input.lastIndexOf('@');
      return at >= 0 && isExcluded(input.slice(at + 1));
    };

    return (value: AttributeValue, path) => {
      if (value.S !== undefined) return passesThrough(value.S) ? value : fn(value, path);
      if (value.SS === undefined || !value.SS.some(passesThrough)) return fn(value, path);
      // Fakes are never in an excluded domain, so they cannot collide with the elements kept.
      const rest = value.SS.filter((element) => !passesThrough(element));
      if (rest.length === 0) return value;
      const fakes = (fn({ SS: rest }, path) as { SS: string[] }).SS;
      let next = 0;
      return { SS: value.SS.map((element) => (passesThrough(element) ? element : fakes[next++]!)) };
    };
  },
});

function localPart(address: string): string {
  return address.slice(0, address.lastIndexOf('@'));
}

/**
 * Trims or pads a faker local part to `length`, never ending it with a dot:
 * pads a few characters with digits ("jessy42"), more with names
 * ("jessy.kub.fahey").
 */
function fitLocalPart(faker: Faker, local: string, length: number): string {
  if (local.length < length && length - local.length <= 4) {
    return local + faker.string.numeric({ length: length - local.length, allowLeadingZeros: true });
  }
  let padded = local;
  while (padded.length < length) padded += `.${faker.person.lastName().toLowerCase().replace(/[^a-z]/g, '') || faker.string.alpha({ length: 5, casing: 'lower' })}`;
  const trimmed = padded.slice(0, length);
  return trimmed.endsWith('.') ? `${trimmed.slice(0, -1)}${faker.string.numeric()}` : trimmed;
}
