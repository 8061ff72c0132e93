import { faker, type Faker } from '@faker-js/faker';
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../registry.ts';
import { city } from './city.ts';
import { describeFakeContract, distinctDraws } from '../../test/support/transformer-contract.ts';
import { country } from './country.ts';
import { fullAddress } from './fullAddress.ts';
import { state } from './state.ts';
import { streetAddress } from './streetAddress.ts';
import { zipCode } from './zipCode.ts';

const registry = createRegistry([streetAddress, city, state, zipCode, country, fullAddress]);
const make = (type: string, options: Record<string, unknown> = {}, salt = 'salt-1') => registry.instantiate({ type, options }, { salt });
const fakeS = (fn: ReturnType<typeof make>, input: string) => (fn({ S: input }, ['Address']) as { S: string }).S;

/** `02139-4307` -> `#####-####`, `SW1A 1aa` -> `AA#A #aa`. */
const shapeOf = (text: string) => text.replace(/\p{Nd}/gu, '#').replace(/\p{Lu}/gu, 'A').replace(/\p{Ll}/gu, 'a');

const US_STATES = faker.definitions.location.state!;
const US_STATE_CODES = faker.definitions.location.state_abbr!;
const COUNTRIES = faker.definitions.location.country!;

interface ContractCase {
  type: string;
  options?: Record<string, unknown>;
  /** One realistic input. */
  draw: (source: Faker) => string;
  /** Whether `output` looks right for `input`. */
  looksRight: (output: string, input: string) => boolean;
  /** Elements of the big set; bounded by how many distinct fakes there are. */
  setSize: number;
}

const CASES: ContractCase[] = [
  { type: 'streetAddress', draw: (f) => f.location.streetAddress(), looksRight: (o) => /^\d+ \S.*\S$/.test(o), setSize: 100 },
  { type: 'city', draw: (f) => f.location.city(), looksRight: (o) => /^\p{Lu}[\p{L}' .-]*\p{Ll}$/u.test(o), setSize: 100 },
  { type: 'state', draw: (f) => f.location.state(), looksRight: (o) => US_STATES.includes(o), setSize: 30 },
  { type: 'state', options: { abbreviated: true }, draw: (f) => f.location.state({ abbreviated: true }), looksRight: (o) => US_STATE_CODES.includes(o), setSize: 30 },
  { type: 'zipCode', draw: (f) => f.location.zipCode(), looksRight: (o, i) => shapeOf(o) === shapeOf(i), setSize: 100 },
  { type: 'zipCode', options: { format: '??# #??' }, draw: (f) => f.location.zipCode('??# #??'), looksRight: (o) => /^[A-Z]{2}\d [A-Z\d][A-Z]{2}$/.test(o), setSize: 100 },
  { type: 'country', draw: (f) => f.location.country(), looksRight: (o) => COUNTRIES.includes(o), setSize: 100 },
  { type: 'country', options: { code: 'alpha2' }, draw: (f) => f.location.countryCode('alpha-2'), looksRight: (o) => /^[A-Z]{2}$/.test(o), setSize: 100 },
  { type: 'country', options: { code: 'alpha3' }, draw: (f) => f.location.countryCode('alpha-3'), looksRight: (o) => /^[A-Z]{3}$/.test(o), setSize: 100 },
  {
    type: 'fullAddress',
    draw: (f) => `${f.location.streetAddress()}, ${f.location.city()}, ${f.location.state({ abbreviated: true })} ${f.location.zipCode()}`,
    looksRight: (o) => /^\d+ [^,]+, [^,]+, [A-Z]{2} \d{5}(-\d{4})?$/.test(o),
    setSize: 100,
  },
];

describe.each(CASES)('$type $options', ({ type, options = {}, draw, looksRight, setSize }) => {
  describeFakeContract(registry.get(type)!, {
    accepts: ['S', 'SS'],
    options: [options],
    realisticInputs: () => distinctDraws(draw, 200),
    minInputs: type === 'state' ? 41 : 151,
    fits: looksRight,
    setSize,
    // A small pool (50 states) makes a few equal by chance.
    saltChange: 0.9,
  });
});

describe('state', () => {
  it('writes the name by default and the postal code when abbreviated', () => {
    expect(fakeS(make('state'), 'Oregon')).toEqual(fakeS(make('state', { abbreviated: false }), 'Oregon'));
    expect(US_STATES).toContain(fakeS(make('state'), 'Oregon'));
    expect(US_STATE_CODES).toContain(fakeS(make('state', { abbreviated: true }), 'OR'));
    expect(() => make('state', { abbreviated: 'yes' })).toThrow();
  });

  it('fakes a set of all 50 states as a shuffle of them, or fails without naming a value', () => {
    const outcomes = Array.from({ length: 20 }, (_, salt) => {
      try {
        const out = make('state', {}, String(salt))({ SS: [...US_STATES] }, ['visited']) as { SS: string[] };
        expect([...out.SS].sort()).toEqual([...US_STATES].sort());
        out.SS.forEach((element, i) => expect(element).not.toBe(US_STATES[i]));
        return 'faked';
      } catch (error) {
        expect((error as Error).message).toMatch(/^visited: transformer "state" found no fake distinct from its input element and the other fakes of its set after \d+ attempts$/);
        return 'failed';
      }
    });
    expect(outcomes).toContain('faked');
  });
});

describe('zipCode', () => {
  it("keeps the input's shape: digits, letters of the same case, and separators", () => {
    const fn = make('zipCode');
    for (const input of ['02139', '02139-4307', 'SW1A 1AA', 'k1a 0b1', '75008', '100-0001', 'D02 X285', '1011 AB', '7']) {
      const output = fakeS(fn, input);
      expect(output).not.toBe(input);
      expect(shapeOf(output)).toBe(shapeOf(input));
      expect(output).toMatch(/^[A-Za-z0-9 -]+$/);
    }
  });

  it('replaces letters of other scripts and other digits with ASCII ones', () => {
    expect(shapeOf(fakeS(make('zipCode'), 'Ü١٢'))).toBe('A##');
    expect(fakeS(make('zipCode'), 'Ü١٢')).toMatch(/^[A-Z]\d\d$/);
  });

  it('gives other input without letters or digits a US ZIP code', () => {
    for (const input of ['-', ' ', '()']) expect(fakeS(make('zipCode'), input)).toMatch(/^\d{5}(-\d{4})?$/);
  });

  it('writes the format instead when given one', () => {
    expect(fakeS(make('zipCode', { format: '#####' }), 'SW1A 1AA')).toMatch(/^\d{5}$/);
    expect(fakeS(make('zipCode', { format: 'NL-#### ??' }), '1011 AB')).toMatch(/^NL-\d{4} [A-Z]{2}$/);
    expect(fakeS(make('zipCode', { format: '*' }), 'A')).toMatch(/^[A-Z0-9]$/);
  });

  it('rejects a format without a symbol, which could only ever give one value', () => {
    expect(() => make('zipCode', { format: '12345' })).toThrow('must hold at least one of #, ? or *');
    expect(() => make('zipCode', { format: 5 })).toThrow();
  });
});

describe('country', () => {
  it('writes a name by default, or the alpha-2 or alpha-3 code', () => {
    expect(fakeS(make('country'), 'France')).toEqual(fakeS(make('country', { code: 'name' }), 'France'));
    expect(COUNTRIES).toContain(fakeS(make('country'), 'France'));
    expect(fakeS(make('country', { code: 'alpha2' }), 'FR')).toMatch(/^[A-Z]{2}$/);
    expect(fakeS(make('country', { code: 'alpha3' }), 'FRA')).toMatch(/^[A-Z]{3}$/);
    expect(() => make('country', { code: 'numeric' })).toThrow();
  });
});
