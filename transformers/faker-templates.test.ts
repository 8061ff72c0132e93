import { describe, expect, it } from 'vitest';
import { EN, Faker } from './faker-en.ts';
import { withCachedTemplates } from './faker-templates.ts';

/** Every faker method the built-ins and the sandbox's helpers draw from, and a few more that fill templates. */
const DRAWS: Record<string, (faker: Faker) => unknown> = {
  fullName: (f) => f.person.fullName(),
  fullNameFemale: (f) => f.person.fullName({ sex: 'female' }),
  firstName: (f) => f.person.firstName(),
  lastName: (f) => f.person.lastName(),
  lastNameMale: (f) => f.person.lastName('male'),
  email: (f) => f.internet.email(),
  emailAtProvider: (f) => f.internet.email({ provider: 'example.org' }),
  username: (f) => f.internet.username(),
  userAgent: (f) => f.internet.userAgent(),
  url: (f) => f.internet.url(),
  domainName: (f) => f.internet.domainName(),
  ipv4: (f) => f.internet.ipv4(),
  ipv6: (f) => f.internet.ipv6(),
  streetAddress: (f) => f.location.streetAddress(),
  fullStreetAddress: (f) => f.location.streetAddress(true),
  city: (f) => f.location.city(),
  state: (f) => f.location.state(),
  zipCode: (f) => f.location.zipCode(),
  country: (f) => f.location.country(),
  countryCode: (f) => f.location.countryCode(),
  iban: (f) => f.finance.iban(),
  creditCard: (f) => f.finance.creditCardNumber(),
  accountNumber: (f) => f.finance.accountNumber(),
  phone: (f) => f.phone.number(),
  sentence: (f) => f.lorem.sentence(),
  word: (f) => f.lorem.word(),
  company: (f) => f.company.name(),
  product: (f) => f.commerce.productName(),
  price: (f) => f.commerce.price(),
  uuid: (f) => f.string.uuid(),
  template: (f) => f.helpers.fake('{{person.firstName}} {{person.last_name.generic}}, {{location.city}}'),
  templateWithCall: (f) => f.helpers.fake('{{number.int({"min":1,"max":99})}}-{{person.last_name.generic}}'),
  templateList: (f) => f.helpers.fake(['{{person.firstName}}', '{{location.state}} {{location.zipCode}}']),
  mustache: (f) => f.helpers.mustache('{{a.b}} and {{a.b}} cost $1: {{c}}', { 'a.b': () => f.person.firstName(), c: 'x$y' }),
};

const draw = (faker: Faker): unknown[] => Object.values(DRAWS).map((one) => one(faker));

describe('withCachedTemplates', () => {
  it('draws what stock faker draws, method for method, over 2,000 seeds', () => {
    for (let seed = 0; seed < 2_000; seed++) {
      const stock = new Faker({ locale: EN, seed });
      const cached = withCachedTemplates(new Faker({ locale: EN, seed }));
      // Two rounds on each instance: the second answers from what the first cached.
      expect([draw(cached), draw(cached)]).toEqual([draw(stock), draw(stock)]);
    }
  });

  it('fails as faker fails on an expression that resolves to nothing', () => {
    const stock = () => new Faker({ locale: EN, seed: 1 }).helpers.fake('{{person.no_such_part}}');
    const cached = () => withCachedTemplates(new Faker({ locale: EN, seed: 1 })).helpers.fake('{{person.no_such_part}}');
    expect(stock).toThrow();
    expect(cached).toThrow(captureError(stock));
  });

  it('leaves text without expressions as it is', () => {
    const faker = withCachedTemplates(new Faker({ locale: EN, seed: 1 }));
    expect(faker.helpers.fake('no {{ Expressions }} here')).toBe('no {{ Expressions }} here');
    expect(faker.helpers.mustache(undefined, {})).toBe('');
  });
});

function captureError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a failure');
}
