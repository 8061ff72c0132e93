import { describe, expect, it } from 'vitest';
import { builtinTransformers } from '../../transformers/builtin/index.ts';
import { detectPath } from './detect.ts';
import { discoverPaths } from './discover.ts';
import { RECOGNIZERS, recognizerNamed, type ScalarType } from './recognizers.ts';
import { matchesShape } from './value-shapes.ts';

/** Whether a value alone (no name) matches the recognizer. */
function valueMatches(recognizer: string, text: string, type: ScalarType = 'S'): boolean {
  return recognizerNamed(recognizer).values.some((rule) => rule.standalone && rule.types.includes(type) && matchesShape(rule.shape, text));
}

/** The verdict on one attribute holding `values`, found the way `init` will find it. */
function verdictFor(name: string, values: readonly string[], type: ScalarType = 'S') {
  const discovery = discoverPaths(values.map((value) => ({ [name]: type === 'S' ? { S: value } : { N: value } })));
  return detectPath(discovery.paths.find((path) => path.stats.path === name)!);
}

const VALUE_CASES: { recognizer: string; type?: ScalarType; positive: string[]; negative: string[] }[] = [
  {
    recognizer: 'email',
    positive: ['ada@example.com', 'first.last+tag@mail.example.co.uk', 'o\'brien@example.ie', 'x@y.io', 'USER_1@EXAMPLE.ORG', 'a-b@xn--bcher-kva.de'],
    negative: ['ada@example', '@example.com', 'ada@@example.com', 'ada@example..com', 'ada.@example.com', 'ada lovelace@example.com', 'SKU-12345-XL', 'ada@-example.com'],
  },
  {
    recognizer: 'phone',
    positive: ['+14155552671', '+1 415 555 2671', '+44 20 7946 0958', '0044 20 7946 0958', '(415) 555-2671', '415-555-2671', '415.555.2671', '1-415-555-2671', '+1 (415) 555-2671', '020 7946 0958', '01 23 45 67 89', '030 12345678'],
    negative: ['100234987', '4155552671', '2026-01-15', '123-45-6789', '12345-678', '94103-1234', '192.168.10.1', '555-123-4567', '+1234567', '1,234.56', '08-15-2026', '415--555-2671', '4111 1111 1111 1111'],
  },
  {
    recognizer: 'creditCard',
    positive: ['4111111111111111', '4111 1111 1111 1111', '4111-1111-1111-1111', '5555555555554444', '378282246310005', '6011111111111117', '3530111333300000', '2223003122003222'],
    negative: ['4111111111111112', '1234567812345670', '4111 1111-1111 1111', '411111111111', '41111111111111111111', '9999999999999995', '4111  1111 1111 1111', 'SKU-4111-1111'],
  },
  {
    recognizer: 'iban',
    positive: ['DE89370400440532013000', 'DE89 3704 0044 0532 0130 00', 'GB82WEST12345698765432', 'FR1420041010050500013M02606', 'NL91ABNA0417164300', 'gb82west12345698765432'],
    negative: ['DE89370400440532013001', 'DE8937040044053201300', 'XX89370400440532013000', 'GB82WEST1234569876543', 'ORDER-2026-000123', 'US12345678901234567890'],
  },
  {
    recognizer: 'ssn',
    positive: ['123-45-6789', '219-09-9998', '078-05-1121', '665 12 3456', '899-99-9999'],
    negative: ['000-12-3456', '666-12-3456', '900-12-3456', '123-00-6789', '123-45-0000', '078-05-1120', '123456789', '123-45-678', '123-456-789'],
  },
  {
    recognizer: 'ipv4',
    positive: ['192.168.0.1', '10.0.0.255', '8.8.8.8', '255.255.255.255', '0.0.0.0', '172.16.254.3'],
    negative: ['256.1.1.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '192.168.0.1/24', 'a.b.c.d', '1..2.3'],
  },
  {
    recognizer: 'ipv6',
    positive: ['2001:db8::1', '2001:0db8:85a3:0000:0000:8a2e:0370:7334', 'fe80::1ff:fe23:4567:890a', '::ffff:192.0.2.128', '2001:DB8:0:0:8:800:200C:417A'],
    negative: ['::', '::1', '12:30:45', '00:1A:2B:3C:4D:5E', '2001:db8:::1', 'abcd', 'g001:db8::1'],
  },
  {
    recognizer: 'uuid',
    positive: ['3f2c8a1e-9b7d-4c2a-8e1f-0a9b8c7d6e5f', '3F2C8A1E-9B7D-4C2A-8E1F-0A9B8C7D6E5F', '3f2c8a1e9b7d4c2a8e1f0a9b8c7d6e5f', '6ba7b810-9dad-11d1-80b4-00c04fd430c8', '01890a5d-ac96-774b-bcce-b302099a8057'],
    negative: ['00000000-0000-0000-0000-000000000000', '3f2c8a1e-9b7d-4c2a-8e1f-0a9b8c7d6e5', '3f2c8a1e_9b7d_4c2a_8e1f_0a9b8c7d6e5f', 'zf2c8a1e-9b7d-4c2a-8e1f-0a9b8c7d6e5f', 'ORDER-2026-000123'],
  },
  {
    recognizer: 'opaqueId',
    positive: ['5f8d0d55b54764421b7156c3', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', '01ARZ3NDEKTSV4RRFFQ69G5FAV', 'V1StGXR8_Z5jdHi6B-myT', '2aNk7pRZ9TqLmX4vB8cD'],
    negative: ['SKU-12345-XL', '1234567890123456', 'activeaccountstatus', 'helloWorld123456', 'ORDER2026000123AB', 'deadbeef', 'customerReference1'],
  },
  {
    recognizer: 'date',
    positive: ['2013-09-02', '2013-09-02T00:00:00Z', '2026-01-15 10:30:00', '2026-01-15T10:30:00.123+02:00', '09/02/2013', '2.9.2013', '2024-02-29'],
    negative: ['2013-13-02', '2023-02-29', '1850-01-01', '2013-09-02T25:00:00Z', '20130902', '2013/09', 'v2013-09-02', '13/13/2013'],
  },
  {
    recognizer: 'epochTime',
    type: 'N',
    positive: ['1700000000', '1700000000123', '946684800', '4102444800', '1700000000.5'],
    negative: ['7380', '8.3', '2013', '100234987', '19990', '99999999999999', '-1700000000'],
  },
  {
    recognizer: 'url',
    positive: ['https://example.com', 'http://ia.media-imdb.com/images/M/x.jpg', 'https://shop.example.com/cart/42?u=ada', 'ftp://files.example.org/pub', 'http://localhost:8080/callback'],
    negative: ['example.com', 'https://', 'https://nodot', 'mailto:ada@example.com', 'https://exa mple.com', '/images/x.jpg'],
  },
  {
    recognizer: 'userAgent',
    positive: [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)',
      'curl/8.5.0',
      'okhttp/4.12.0',
      'python-requests/2.31.0',
    ],
    negative: ['Mozilla', 'Firefox', 'SKU/12345', 'chrome 120', 'mozilla/5.0'],
  },
  {
    recognizer: 'fullAddress',
    positive: ['7031 Heidi Mill, Sigmundtown, ND 11893', '123 Main St, Springfield, IL 62704', '221B Baker Street, London NW1 6XE', '42 W 5th Ave Apt. 3, New York, NY 10011-1234', '10 Downing Street, London, United Kingdom'],
    negative: ['123 Main St', 'Springfield, IL 62704', '12 Monkeys, The Movie, Part 2', 'Order 123, shipped, 2026', '7031 Heidi Mill Sigmundtown ND 11893'],
  },
  {
    recognizer: 'streetAddress',
    positive: ['123 Main St', '7031 Heidi Mill', '42 W 5th Ave Apt. 3', '10 Downing Street', '1600 Pennsylvania Avenue NW', '55 Elm Rd #4'],
    negative: ['123 Main', 'Main St', '3 Day Pass Deluxe Edition Tickets', '12 apples', '123 main st', '2 Large Pizzas'],
  },
  {
    recognizer: 'zipCode',
    positive: ['SW1A 1AA', 'NW1 6XE', 'EC1A 1BB', 'K1A 0B1', 'M5V 3L9'],
    negative: ['94103', '94103-1234', 'SW1A1AA', 'USD', 'SKU 1AB', 'AB 12'],
  },
  {
    recognizer: 'city',
    positive: ['Springfield', 'Albuquerque', 'Aliso Viejo', 'Akron', 'Abilene, TX'],
    negative: ['springfield', 'Shipped', 'Active', 'USD', 'Main Street', 'Abilene, Texas'],
  },
  {
    recognizer: 'state',
    positive: ['California', 'New York', 'Texas', 'North Dakota', 'Oregon'],
    negative: ['CA', 'california', 'Cali', 'Shipped', 'New', 'Active'],
  },
  {
    recognizer: 'country',
    positive: ['Germany', 'United Kingdom', 'Finland', 'USA', "Côte d'Ivoire"],
    negative: ['germany', 'DE', 'USD', 'GET', 'Active', 'Europe'],
  },
  {
    recognizer: 'fullName',
    positive: ['Ada Lovelace', 'Daniel Bruhl', 'Chris Hemsworth', 'Dr. Jane Smith', 'Robert De Niro', 'JOHN SMITH', "Liam O'Brien", 'Mary-Kate Olsen'],
    negative: ['Blue Cotton Shirt', 'New York', 'Customer Service', 'ada lovelace', 'Active', 'Summer Sale', 'The Great Gatsby', 'SKU-12345-XL'],
  },
  {
    recognizer: 'firstName',
    positive: ['Ada', 'Daniel', 'Olivia', 'Chris', 'Mark', 'Zoey'],
    negative: ['ada', 'ADA', 'Active', 'Shipped', 'Ruby', 'Amber', 'Gold', 'Ada Lovelace'],
  },
  {
    recognizer: 'lastName',
    positive: ['Smith', 'Anderson', 'Abbott', 'Armstrong', 'Smith-Anderson'],
    negative: ['smith', 'Lovelacexyz', 'Active', 'Green', 'Pending', 'Smith Anderson'],
  },
  {
    recognizer: 'secret',
    positive: [
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      'eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZGEifQ.',
      '-----BEGIN PRIVATE KEY-----\nMIIE...',
      '-----BEGIN RSA PRIVATE KEY-----\nMIIE...',
      '-----BEGIN EC PRIVATE KEY-----',
    ],
    negative: ['eyJhbGciOiJIUzI1NiJ9', 'abc.def.ghi', '-----BEGIN PUBLIC KEY-----', 'hunter2', 'eyJ.eyJ.x'],
  },
  {
    recognizer: 'freeText',
    positive: [
      'Customer called, email is ada@example.com, wants a refund',
      'Please call me back on +44 20 7946 0958 after six',
      'Paid with card 4111 1111 1111 1111 at the front desk',
      'Her SSN is 123-45-6789 according to the form',
      'Transfer to DE89 3704 0044 0532 0130 00 by Friday',
      'Login from 192.168.10.7 was blocked twice today',
    ],
    negative: [
      'A re-creation of the merciless 1970s rivalry between Formula One rivals James Hunt and Niki Lauda.',
      'ada@example.com',
      'Order 100234987 shipped on 2026-01-15 in 3 boxes',
      'Call me maybe',
      'SKU-12345-XL is back in stock for everyone',
      'See https://example.com/docs for the details',
    ],
  },
];

describe('value recognizers', () => {
  for (const { recognizer, type, positive, negative } of VALUE_CASES) {
    describe(recognizer, () => {
      it.each(positive)('matches %j', (text) => expect(valueMatches(recognizer, text, type)).toBe(true));
      it.each(negative)('does not match %j', (text) => expect(valueMatches(recognizer, text, type)).toBe(false));
    });
  }

  it('has examples for every recognizer that reads values', () => {
    const covered = new Set(VALUE_CASES.map((c) => c.recognizer));
    const readsValues = RECOGNIZERS.filter((r) => r.values.some((rule) => rule.standalone)).map((r) => r.name);
    expect(readsValues.filter((name) => !covered.has(name))).toEqual([]);
    for (const c of VALUE_CASES) {
      expect(c.positive.length, c.recognizer).toBeGreaterThanOrEqual(5);
      expect(c.negative.length, c.recognizer).toBeGreaterThanOrEqual(5);
    }
  });
});

/** Values a recognizer accepts only with a name that agrees. */
const NAME_CONFIRMED_CASES: { recognizer: string; name: string; type?: ScalarType; values: string[]; otherName: string }[] = [
  { recognizer: 'zipCode', name: 'zip', values: ['94103', '10011-1234', '60601', '02139', '73301'], otherName: 'quantity' },
  { recognizer: 'ssn', name: 'ssn', values: ['123456789', '219099998', '078051121', '665123456', '899999999'], otherName: 'orderNumber' },
  { recognizer: 'phone', name: 'ph', values: ['4155552671', '14155552671', '442079460958', '3225551234', '4915112345678'], otherName: 'orderNumber' },
  { recognizer: 'latitude', name: 'lat', type: 'N', values: ['37.7749', '-33.8688', '51.5074', '40.7128', '-1.2921'], otherName: 'price' },
  { recognizer: 'longitude', name: 'lng', type: 'N', values: ['-122.4194', '151.2093', '-0.1278', '-74.0060', '36.8219'], otherName: 'price' },
  { recognizer: 'birthDate', name: 'dob', values: ['1990-04-12', '1985-11-30', '2001-01-01', '1972-07-19', '1999-12-31'], otherName: 'createdAt' },
];

describe('value shapes that need a name', () => {
  it.each(NAME_CONFIRMED_CASES)('$recognizer under $name', ({ recognizer, name, type, values }) => {
    const verdict = verdictFor(name, values, type);
    expect(verdict.recognizer).toBe(recognizer);
    expect(verdict.flagged).toBe(true);
  });

  it.each(NAME_CONFIRMED_CASES)('not $recognizer under $otherName', ({ recognizer, otherName, type, values }) => {
    const verdict = verdictFor(otherName, values, type);
    expect(verdict.matches.map((m) => m.recognizer)).not.toContain(recognizer);
  });
});

const NAME_CASES: { recognizer: string; strong: string[]; unrelated: string[] }[] = [
  { recognizer: 'email', strong: ['email', 'e_mail', 'customerEmail', 'EmailAddress', 'emails', 'work-email'], unrelated: ['emailVerified', 'emailCount', 'isEmailOptIn', 'mailbox', 'female'] },
  { recognizer: 'phone', strong: ['phone', 'phoneNumber', 'mobile_number', 'Telephone', 'phones', 'fax'], unrelated: ['phoneVerified', 'graph', 'phoneType', 'iphone_model', 'headphones'] },
  { recognizer: 'ssn', strong: ['ssn', 'SSN', 'socialSecurityNumber', 'social_security_no', 'customer_ssn'], unrelated: ['assn', 'session', 'ssnVerified', 'lesson', 'classname'] },
  { recognizer: 'birthDate', strong: ['dob', 'DOB', 'dateOfBirth', 'birth_date', 'birthday'], unrelated: ['adobe', 'doBackup', 'birthdayReminderSent', 'createdAt', 'rebirths'] },
  { recognizer: 'firstName', strong: ['firstName', 'first_name', 'givenName', 'FNAME', 'forename'], unrelated: ['firstSeen', 'first', 'nameFirstLetterCount', 'firstNameVerified', 'firstly'] },
  { recognizer: 'lastName', strong: ['lastName', 'last_name', 'surname', 'familyName', 'LNAME'], unrelated: ['lastSeen', 'lastLogin', 'lastUpdated', 'surnames_count', 'blastname'] },
  { recognizer: 'creditCard', strong: ['cardNumber', 'credit_card', 'ccNumber', 'PAN', 'debitCard'], unrelated: ['cardType', 'giftCardBalance', 'scorecard', 'panel', 'cardNumberLast4'] },
  { recognizer: 'nationalId', strong: ['passportNumber', 'passport', 'nationalId', 'taxId', 'driversLicense'], unrelated: ['passportExpiry', 'nation', 'taxRate', 'licenseKey', 'idType'] },
  { recognizer: 'username', strong: ['username', 'userName', 'screen_name', 'handle', 'nickname'], unrelated: ['user', 'userId', 'name', 'handler', 'usernameChanged'] },
  { recognizer: 'secret', strong: ['password', 'apiKey', 'access_token', 'clientSecret', 'cvv'], unrelated: ['passwordChangedAt', 'passwordLength', 'secretary', 'tokenType', 'keyboard'] },
  { recognizer: 'zipCode', strong: ['zip', 'zipCode', 'postcode', 'postal_code', 'PostCode'], unrelated: ['zipped', 'unzip', 'postCount', 'codeZ', 'zipper'] },
  { recognizer: 'ipv4', strong: ['ip', 'ipAddress', 'IPAddress', 'client_ip', 'sourceIp'], unrelated: ['ipType', 'zip', 'tip', 'ship', 'ipCount'] },
  { recognizer: 'fullAddress', strong: ['address', 'shippingAddress', 'billing_address', 'homeAddress', 'mailingAddress'], unrelated: ['addressType', 'addressVerified', 'addressee', 'ipAddressCount', 'addressCount'] },
];

describe('attribute names', () => {
  for (const { recognizer, strong, unrelated } of NAME_CASES) {
    describe(recognizer, () => {
      it.each(strong)('%s is enough on its own', (name) => {
        const verdict = verdictFor(name, ['x-1', 'x-2', 'x-3']);
        expect(verdict.matches.find((m) => m.recognizer === recognizer)).toMatchObject({ name: 'strong' });
      });
      it.each(unrelated)('%s says nothing of it', (name) => {
        const verdict = verdictFor(name, ['x-1', 'x-2', 'x-3']);
        expect(verdict.matches.find((m) => m.recognizer === recognizer)).toBeUndefined();
      });
    });
  }
});

describe('suggestions', () => {
  const transformers = new Map(builtinTransformers.map((t) => [t.name, t]));

  it.each(RECOGNIZERS.map((r) => [r.name, r] as const))('%s suggests a built-in that takes its values', (_name, recognizer) => {
    const transformer = transformers.get(recognizer.suggests.type);
    expect(transformer, recognizer.suggests.type).toBeDefined();
    const types = recognizer.types ?? [...new Set(recognizer.values.flatMap((rule) => rule.types))];
    for (const type of types.length > 0 ? types : ['S']) expect(transformer!.accepts).toContain(type);
  });
});
