import { describe, expect, it } from 'vitest';
import { detectPath } from './detect.ts';
import { discoverPaths } from './discover.ts';
import { embeddedKinds, isFreeText, weakEmbeddedKinds } from './embedded.ts';
import { FREE_TEXT_WITH_NAMES, FREE_TEXT_WITH_PII } from './recognizers.ts';
import * as shapes from './value-shapes.ts';

describe('personal data inside free text', () => {
  it.each([
    ['Mail me at (ada@example.com), thanks', ['email']],
    ['Call +1 415 555 2671 or (212) 555-0199 tomorrow', ['phone']],
    ['Card 4111 1111 1111 1111 exp 12/29, cvv on file', ['creditCard']],
    ['SSN 123-45-6789 and phone 415-555-2671 on the form', ['phone', 'ssn']],
    ['Pay DE89 3704 0044 0532 0130 00 or GB82WEST12345698765432 soon', ['iban']],
    ['Blocked 203.0.113.9 and 2001:db8::1 after five failures', ['ipv4', 'ipv6']],
    ['<grace@example.com>: card 5555-5555-5555-4444.', ['email', 'creditCard']],
    ['Refund for account 3f2b8c1e-9a4d-4e7b-8c21-5d6f7a8b9c0d, approved', ['uuid']],
  ])('%j holds %j', (text, kinds) => {
    expect([...embeddedKinds(text)].sort()).toEqual([...kinds].sort());
  });

  it.each([
    'Order 100234987 shipped on 2026-01-15 in 3 boxes of 12',
    'Version 1.2.3 fixes the 12:30:45 timeout on port 8080',
    'Meet at 10:00, room 4111, floor 2; bring 1111 copies',
    'Price 1,234.56 EUR, SKU-12345-XL, ref 4111111111111112',
    'Email us at the address on the website, not here @ all',
    'James Hunt and Niki Lauda raced in the 1970s for Formula One',
    'Build 3f2b8c1e9a4d fixed in 00000000-0000-0000-0000-000000000000 runs',
    'Trace id 3f2b8c1e-9a4d-4e7b-8c21-5d6f7a8b9c0d-extra is no UUID',
  ])('%j holds none', (text) => {
    expect([...embeddedKinds(text)]).toEqual([]);
  });

  it.each([
    ['Customer Ada Smith called about the refund', ['fullName']],
    ['Spoke to Mary Smith-Jones, she will call back', ['fullName']],
    ['Profile at https://social.example.com/ada.lovelace, see there', ['url']],
    ['Born 1985-03-02, moved house on 12/04/2019 to the coast', ['date']],
    ['James Jones (https://f1.example.com/jj) won on 1976-10-24 in Japan', ['fullName', 'url', 'date']],
  ])('%j holds, weakly, %j', (text, kinds) => {
    expect([...weakEmbeddedKinds(text)].sort()).toEqual([...kinds].sort());
  });

  it.each([
    'The Great Gatsby meets New York in the Roaring Twenties',
    'Amber Rose and Summer Green are the colours of this season',
    'Version 2026-13-45 is not a date, nor is 99/99/2024 or 12345-01-01',
    'Visit example dot com or ftp colon slash slash nowhere',
    'Order shipped by Express Mail and Royal Post today',
  ])('%j holds nothing weakly', (text) => {
    expect([...weakEmbeddedKinds(text)]).toEqual([]);
  });

  it('is text of at least four words', () => {
    expect(isFreeText('call ada@example.com now')).toBe(false);
    expect(isFreeText('please call ada@example.com now')).toBe(true);
  });
});

/**
 * Inputs that make badly written expressions backtrack without end. Each
 * must be read in one pass: a trap would hang the test until it times out.
 */
const ADVERSARIAL = [
  'a'.repeat(10_240),
  `${'a'.repeat(10_240)}!`,
  `${'A'.repeat(10_240)}1`,
  '1'.repeat(10_240),
  '1 '.repeat(5_120),
  '1-'.repeat(5_120),
  '1.'.repeat(5_120),
  '('.repeat(10_240),
  '@'.repeat(10_240),
  'a@'.repeat(5_120),
  `${'a.'.repeat(5_120)}@`,
  `a@${'b.'.repeat(5_119)}`,
  ':'.repeat(10_240),
  'a:'.repeat(5_120),
  `DE89${'A'.repeat(10_236)}`,
  'DE89 '.repeat(2_048),
  'Aa '.repeat(3_413),
  'Ab'.repeat(5_120),
  `eyJ${'a'.repeat(5_000)}.eyJ${'a'.repeat(5_000)}`,
  `${'9'.repeat(10_000)}x`,
  `${'1 '.repeat(5_000)}x`,
  `123 ${'Main '.repeat(2_000)}`,
  `1, ${'a, '.repeat(3_400)}`,
];

describe('10 kB values', () => {
  const allShapes = Object.entries(shapes).filter((entry): entry is [string, shapes.ValueShape] => typeof entry[1] === 'object' && 'pattern' in entry[1]);

  it('run every shape\'s expression to an answer, even without the length bound', () => {
    for (const text of ADVERSARIAL) {
      for (const [name, shape] of allShapes) {
        shape.pattern.exec(text);
        expect(shapes.matchesShape(shape, text), `${name} on ${text.slice(0, 12)}…`).toBe(false);
      }
      expect(FREE_TEXT_WITH_PII.validate!(text, [text] as unknown as RegExpExecArray)).toBe(false);
      expect(FREE_TEXT_WITH_NAMES.validate!(text, [text] as unknown as RegExpExecArray)).toBe(false);
    }
  });

  it('are scanned whole for embedded data', () => {
    expect([...embeddedKinds(`${'lorem ipsum '.repeat(900)}write to ada@example.com or +44 20 7946 0958`)].sort()).toEqual(['email', 'phone']);
  });

  it('get a verdict through every recognizer', () => {
    const discovery = discoverPaths(ADVERSARIAL.map((text) => ({ v: { S: text } })));
    const verdict = detectPath(discovery.paths[0]!);
    expect(verdict.matches).toEqual([]);
  });
});
