import { describe, expect, it } from 'vitest';
import type { Item } from '../../model/item.ts';
import { loadMovies } from '../local-stack/movie-data.ts';
import { FLAG_CONFIDENCE, detectPath, detectPaths, type Verdict } from './detect.ts';
import { discoverPaths } from './discover.ts';

const S = (value: string) => ({ S: value });
const N = (value: string) => ({ N: value });

/**
 * Customers with personal data under names that do not say so, beside
 * attributes that look like it and are not. Twelve items, a value each.
 */
const PLANTED = {
  contact: ['ada@example.com', 'grace.hopper@navy.example.mil', 'alan+t@example.co.uk', 'linus@kernel.example.org', 'k.johnson@example.com', 'edsger@example.nl', 'barbara@example.edu', 'tim.bl@example.ch', 'margaret@example.com', 'donald.k@example.com', 'frances@example.com', 'ken@example.com'],
  ph: ['+1 415 555 2671', '(415) 555-2672', '415-555-2673', '+44 20 7946 0958', '020 7946 0959', '+49 30 12345678', '415.555.2674', '+33 1 23 45 67 89', '1-415-555-2675', '+14155552676', '0044 20 7946 0960', '(212) 555-0199'],
  cards: ['4111111111111111', '5555 5555 5555 4444', '3782-822463-10005', '6011111111111117', '4012888888881881', '5105105105105100', '378734493671000', '4222222222222', '3530111333300000', '6011000990139424', '4111-1111-1111-1111', '2223003122003222'],
  who: ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Linus Torvalds', 'Katherine Johnson', 'Edsger Dijkstra', 'Barbara Liskov', 'Tim Berners-Lee', 'Margaret Hamilton', 'Donald Knuth', 'Frances Allen', 'Ken Thompson'],
  acct: ['DE89370400440532013000', 'GB82WEST12345698765432', 'FR1420041010050500013M02606', 'NL91ABNA0417164300', 'DE89 3704 0044 0532 0130 00', 'GB33BUKB20201555555555', 'ES9121000418450200051332', 'IT60X0542811101000000123456', 'BE68539007547034', 'CH9300762011623852957', 'AT611904300234573201', 'NO9386011117947'],
  gov: ['123-45-6789', '219-09-9998', '078-05-1121', '665-12-3456', '899-99-9999', '001-01-0001', '512-34-5678', '234-56-7890', '345-67-8901', '456-78-9012', '567-89-0123', '678-90-1234'],
  src: ['192.168.0.1', '10.0.0.7', '172.16.254.3', '8.8.8.8', '203.0.113.9', '198.51.100.23', '192.0.2.44', '100.64.0.1', '10.10.10.10', '172.31.255.254', '192.168.100.200', '1.1.1.1'],
  ref: ['3f2c8a1e-9b7d-4c2a-8e1f-0a9b8c7d6e5f', '6ba7b810-9dad-11d1-80b4-00c04fd430c8', '01890a5d-ac96-774b-bcce-b302099a8057', 'a8098c1a-f86e-11da-bd1a-00112444be1e', 'f47ac10b-58cc-4372-a567-0e02b2c3d479', '9c5b94b1-35ad-49bb-b118-8e8fc24abf80', '2c1e0a3b-7f4d-4e6a-9b8c-1d2e3f4a5b6c', 'd9428888-122b-11e1-b85c-61cd3cbb3210', '0e984725-c51c-4bf4-9960-e1c80e27aba0', '6fa459ea-ee8a-3ca4-894e-db77e160355e', '886313e1-3b8a-5372-9b90-0c9aee199e5d', '1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed'],
  seen: ['1700000000', '1700003600', '1700007200', '1700010800', '1700014400', '1700018000', '1700021600', '1700025200', '1700028800', '1700032400', '1700036000', '1700039600'],
  d: ['1990-04-12', '1985-11-30', '2001-01-01', '1972-07-19', '1999-12-31', '1964-02-29', '1980-06-15', '1995-09-09', '1977-03-03', '1969-07-20', '1988-08-08', '2003-10-10'],
  addr: ['7031 Heidi Mill, Sigmundtown, ND 11893', '123 Main St, Springfield, IL 62704', '221B Baker Street, London NW1 6XE', '42 W 5th Ave Apt. 3, New York, NY 10011', '1600 Pennsylvania Avenue NW, Washington, DC 20500', '10 Downing Street, London SW1A 2AA', '350 Fifth Avenue, New York, NY 10118', '1 Infinite Loop, Cupertino, CA 95014', '4059 Mt Lee Dr, Hollywood, CA 90068', '11 Wall St, New York, NY 10005', '405 Lexington Ave, New York, NY 10174', '233 S Wacker Dr, Chicago, IL 60606'],
  lat: ['37.7749', '-33.8688', '51.5074', '40.7128', '-1.2921', '48.8566', '35.6762', '55.7558', '-22.9068', '19.4326', '1.3521', '52.5200'],
  lng: ['-122.4194', '151.2093', '-0.1278', '-74.0060', '36.8219', '2.3522', '139.6503', '37.6173', '-43.1729', '-99.1332', '103.8198', '13.4050'],
};

const MEMOS = [
  'Called about the invoice, prefers email: ada@example.com for receipts',
  'Left a voicemail on +44 20 7946 0958 about the late delivery',
  'Asked to close the account at the end of the month',
  'Wants the parcel left with the neighbour at number twelve',
  'Complained that the app logs out too often on the tablet',
  'Happy with the replacement, no further action needed now',
  'Requested a paper copy of the terms and conditions please',
  'Moved house, new details to follow by post next week',
  'Prefers to be contacted after six in the evening only',
  'Duplicate order placed by mistake, second one cancelled',
  'Loyalty discount applied after a long call with support',
  'Write to grace.hopper@navy.example.mil with the refund details',
];

const LOOK_ALIKES = {
  orderNo: ['1002349871', '1002349872', '1002349873', '1002349874', '1002349875', '1002349876', '1002349877', '1002349878', '1002349879', '1002349880', '1002349881', '1002349882'],
  sku: ['SKU-12345-XL', 'SKU-12345-M', 'SKU-777-S', 'SKU-4111-L', 'SKU-90001-XS', 'SKU-12-XXL', 'SKU-5555-M', 'SKU-00042-S', 'SKU-31337-L', 'SKU-2024-XL', 'SKU-415-M', 'SKU-555-S'],
  status: ['active', 'shipped', 'pending', 'cancelled', 'active', 'delivered', 'shipped', 'active', 'returned', 'pending', 'active', 'shipped'],
  currency: ['USD', 'EUR', 'GBP', 'USD', 'JPY', 'CHF', 'USD', 'EUR', 'SEK', 'NOK', 'DKK', 'USD'],
  method: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'GET', 'HEAD', 'OPTIONS', 'GET', 'POST', 'GET', 'PUT'],
  size: ['XL', 'M', 'S', 'XS', 'L', 'XXL', 'M', 'S', 'L', 'M', 'XL', 'S'],
  tier: ['Gold', 'Silver', 'Bronze', 'Platinum', 'Gold', 'Silver', 'Gold', 'Bronze', 'Silver', 'Gold', 'Platinum', 'Gold'],
  colour: ['Amber', 'Ruby', 'Jade', 'Ivory', 'Olive', 'Hazel', 'Violet', 'Rose', 'Amber', 'Ruby', 'Pearl', 'Jade'],
  version: ['1.2.3', '1.2.4', '2.0.0', '2.0.1', '2.1.0', '3.0.0-beta', '3.0.0', '3.0.1', '3.1.0', '3.1.1', '4.0.0', '4.0.1'],
  isActive: ['true', 'false', 'true', 'true', 'false', 'true', 'true', 'false', 'true', 'true', 'true', 'false'],
  code: ['A1', 'B7', 'C3', 'Z9', 'A1', 'Q2', 'K8', 'B7', 'M4', 'A1', 'X0', 'P5'],
  exp: ['12/29', '01/30', '06/27', '11/28', '03/31', '09/26', '12/29', '05/30', '08/27', '02/28', '10/29', '04/30'],
};
const NUMBER_LOOK_ALIKES = {
  qty: ['1', '2', '5', '1', '3', '10', '1', '2', '4', '1', '1', '2'],
  price: ['19.99', '5.00', '120.50', '1.49', '49.95', '19.99', '7.25', '300.00', '12.00', '1.50', '99.99', '15.75'],
  year: ['2024', '2025', '2023', '2024', '2026', '2022', '2024', '2025', '2021', '2024', '2023', '2026'],
  visits: ['0', '17', '3', '250', '1', '42', '8', '1000', '12', '5', '66', '9'],
};

function fixture(): Item[] {
  return Array.from({ length: 12 }, (_, i) => {
    const item: Item = {
      contact: S(PLANTED.contact[i]!),
      ph: S(PLANTED.ph[i]!),
      // Cards in a nested list, beside an expiry that must stay unflagged.
      wallet: { L: [{ M: { n: S(PLANTED.cards[i]!), exp: S(LOOK_ALIKES.exp[i]!) } }] },
      memo: S(MEMOS[i]!),
      who: S(PLANTED.who[i]!),
      acct: S(PLANTED.acct[i]!),
      gov: S(PLANTED.gov[i]!),
      src: S(PLANTED.src[i]!),
      ref: S(PLANTED.ref[i]!),
      seen: N(PLANTED.seen[i]!),
      d: S(PLANTED.d[i]!),
      addr: S(PLANTED.addr[i]!),
      loc: { M: { lat: N(PLANTED.lat[i]!), lng: N(PLANTED.lng[i]!) } },
      gift: { BOOL: i % 2 === 0 },
      note: { NULL: true },
    };
    for (const [name, values] of Object.entries(LOOK_ALIKES)) if (name !== 'exp') item[name] = S(values[i]!);
    for (const [name, values] of Object.entries(NUMBER_LOOK_ALIKES)) item[name] = N(values[i]!);
    return item;
  });
}

const flaggedOf = (verdicts: readonly Verdict[]) => Object.fromEntries(verdicts.filter((v) => v.flagged).map((v) => [v.path, v.recognizer]));

describe('detection on planted personal data', () => {
  const verdicts = detectPaths(discoverPaths(fixture()).paths);

  it('finds every planted kind under unhelpful names, and nothing else', () => {
    expect(flaggedOf(verdicts)).toEqual({
      contact: 'email',
      ph: 'phone',
      'wallet[*].n': 'creditCard',
      memo: 'freeText',
      who: 'fullName',
      acct: 'iban',
      gov: 'ssn',
      src: 'ipv4',
      ref: 'uuid',
      seen: 'epochTime',
      d: 'date',
      addr: 'fullAddress',
      'loc.lat': 'latitude',
      'loc.lng': 'longitude',
    });
  });

  it('suggests the matching built-in for each', () => {
    const suggested = Object.fromEntries(verdicts.filter((v) => v.flagged).map((v) => [v.path, v.suggests?.type]));
    expect(suggested).toEqual({
      contact: 'email',
      ph: 'phone',
      'wallet[*].n': 'creditCard',
      memo: 'lorem',
      who: 'fullName',
      acct: 'iban',
      gov: 'ssn',
      src: 'ipv4',
      ref: 'uuid',
      seen: 'dateShift',
      d: 'dateShift',
      addr: 'fullAddress',
      'loc.lat': 'latitude',
      'loc.lng': 'longitude',
    });
  });

  it('reports shares and what the free text contains', () => {
    const byPath = new Map(verdicts.map((v) => [v.path, v]));
    expect(byPath.get('contact')!.matches[0]).toEqual({ recognizer: 'email', kind: 'contact', share: 1, name: 'weak', confidence: 0.99 });
    expect(byPath.get('memo')!.matches[0]).toEqual({
      recognizer: 'freeText',
      kind: 'text',
      share: 0.25,
      name: 'weak',
      confidence: 0.7,
      contains: { email: 0.17, phone: 0.08 },
    });
    // A ten-digit order number is an epoch time by its value alone, but too weak a sign to flag.
    expect(byPath.get('orderNo')!.matches).toEqual([{ recognizer: 'epochTime', kind: 'time', share: 1, confidence: 0.45 }]);
    expect(byPath.get('orderNo')!.confidence).toBeLessThan(FLAG_CONFIDENCE);
    expect(byPath.get('seen')!.matches[0]).toMatchObject({ recognizer: 'epochTime', name: 'weak', confidence: 0.55 });
  });

  it('matches nothing at all on the look-alikes but the order numbers', () => {
    const quiet = [...Object.keys(LOOK_ALIKES).filter((name) => name !== 'exp' && name !== 'orderNo'), 'wallet[*].exp', ...Object.keys(NUMBER_LOOK_ALIKES)];
    const byPath = new Map(verdicts.map((v) => [v.path, v]));
    for (const path of quiet) expect(byPath.get(path)!.matches, path).toEqual([]);
  });

  it('never puts a value in a verdict', () => {
    const text = JSON.stringify(verdicts);
    const values = [...Object.values(PLANTED), MEMOS, ...Object.values(LOOK_ALIKES), ...Object.values(NUMBER_LOOK_ALIKES)].flat();
    // Short values and JSON's own words ("flagged": true) would match by accident.
    for (const value of values.filter((v) => v.length >= 4 && v !== 'true' && v !== 'false')) expect(text, value).not.toContain(value);
  });
});

describe('detection on movies', () => {
  it('flags the people, the image links and the release dates, not plots, titles or numbers', async () => {
    const verdicts = detectPaths(discoverPaths(await loadMovies(), { keys: { partitionKey: 'year', sortKey: 'title' } }).paths);
    expect(flaggedOf(verdicts)).toEqual({
      'info.actors[*]': 'fullName',
      'info.directors[*]': 'fullName',
      'info.image_url': 'url',
      'info.release_date': 'date',
    });
  });
});

function verdictFor(name: string, values: readonly Item[string][]): Verdict {
  const discovery = discoverPaths(values.map((value) => ({ [name]: value })));
  return detectPath(discovery.paths.find((path) => path.stats.path === name)!);
}

describe('weighing evidence', () => {
  it('flags a strong name alone, when the values are of a type its transformer takes', () => {
    const verdict = verdictFor('firstName', ['Xochitl', 'Zephyrine', 'Oluwaseun'].map(S));
    expect(verdict).toMatchObject({ flagged: true, recognizer: 'firstName', confidence: 0.6 });
    expect(verdictFor('firstName', [N('1'), N('2')]).flagged).toBe(false);
  });

  it('lets the values overrule the name', () => {
    expect(verdictFor('email', ['+1 415 555 2671', '(415) 555-2672', '+44 20 7946 0958'].map(S)).recognizer).toBe('phone');
  });

  it('takes a column of few names repeated for an enum, not for people', () => {
    const values = Array.from({ length: 40 }, (_, i) => S(['Taylor', 'Riley', 'Morgan'][i % 3]!));
    expect(verdictFor('plan', values).matches).toEqual([]);
    // The same names, each once: people.
    expect(verdictFor('plan', [S('Taylor'), S('Riley'), S('Morgan')]).recognizer).toBe('firstName');
  });

  it('counts a partial share at a discount and ignores one below the minimum', () => {
    const emails = (count: number, of: number) => Array.from({ length: of }, (_, i) => S(i < count ? `user${i}@example.com` : `guest ${i}`));
    expect(verdictFor('x', emails(10, 10))).toMatchObject({ flagged: true, confidence: 0.95 });
    expect(verdictFor('x', emails(5, 10))).toMatchObject({ flagged: true, confidence: 0.71 });
    expect(verdictFor('x', emails(2, 10)).matches).toEqual([]);
  });

  it('prefers a date of birth to a date when the name says so', () => {
    const verdict = verdictFor('dob', ['1990-04-12', '1985-11-30'].map(S));
    expect(verdict.matches.map((m) => [m.recognizer, m.confidence])).toEqual([
      ['birthDate', 0.99],
      ['date', 0.65],
    ]);
  });

  it('reads free text past the clipped length, but no whole-value shape in a clipped value', () => {
    const long = `${'lorem ipsum '.repeat(40)}write to ada@example.com ${'dolor '.repeat(2000)}`;
    const verdict = verdictFor('body', [S(long)]);
    expect(verdict).toMatchObject({ recognizer: 'freeText', flagged: true });
    const clippedEmailLike = verdictFor('x', [S(`${'a'.repeat(2000)}@example.com`)]);
    expect(clippedEmailLike.matches).toEqual([]);
  });
});
