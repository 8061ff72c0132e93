import type { Faker } from '@faker-js/faker';
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../registry.ts';
import { describeFakeContract, distinctDraws } from '../../test/support/transformer-contract.ts';
import { ipv4 } from './ipv4.ts';
import { ipv6 } from './ipv6.ts';
import { url } from './url.ts';
import { userAgent } from './userAgent.ts';
import { uuid } from './uuid.ts';

const registry = createRegistry([uuid, ipv4, ipv6, url, userAgent]);
const make = (type: string, options: Record<string, unknown> = {}, salt = 'salt-1') => registry.instantiate({ type, options }, { salt });
const fakeS = (fn: ReturnType<typeof make>, input: string) => (fn({ S: input }, ['client']) as { S: string }).S;

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const UUID_V4_UPPER = /^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-f]{4}(:[0-9a-f]{4}){7}$/;
const FAKE_URL = /^https:\/\/[a-z-]+\.[a-z]+\/?$/;

const toInt = (address: string) => address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);

interface ContractCase {
  type: string;
  options?: Record<string, unknown>;
  draw: (source: Faker) => string;
  looksRight: (output: string, input: string) => boolean;
}

const CASES: ContractCase[] = [
  { type: 'uuid', draw: (f) => f.string.uuid(), looksRight: (o) => UUID_V4.test(o) },
  { type: 'ipv4', draw: (f) => f.internet.ipv4(), looksRight: (o) => IPV4.test(o) },
  {
    type: 'ipv4',
    options: { preserveSubnet: 24 },
    draw: (f) => f.internet.ipv4({ network: 'private-a' }),
    looksRight: (o, i) => IPV4.test(o) && o.split('.').slice(0, 3).join('.') === i.split('.').slice(0, 3).join('.'),
  },
  { type: 'ipv6', draw: (f) => f.internet.ipv6(), looksRight: (o) => IPV6.test(o) },
  { type: 'url', draw: (f) => `${f.internet.url({ appendSlash: false })}/${f.lorem.slug()}?id=${f.number.int(999)}`, looksRight: (o) => FAKE_URL.test(o) },
  {
    type: 'url',
    options: { preservePath: true },
    draw: (f) => `${f.internet.url({ appendSlash: false })}/${f.lorem.slug()}/${f.number.int(999)}`,
    looksRight: (o, i) => /^https:\/\/[a-z-]+\.[a-z]+\//.test(o) && new URL(o).pathname === new URL(i).pathname,
  },
  { type: 'userAgent', draw: (f) => f.internet.userAgent(), looksRight: (o) => /^\S+\/\S+/.test(o) },
];

describe.each(CASES)('$type $options', ({ type, options = {}, draw, looksRight }) => {
  describeFakeContract(registry.get(type)!, {
    accepts: ['S', 'SS'],
    options: [options],
    realisticInputs: () => distinctDraws(draw, 200),
    minInputs: type === 'userAgent' ? 101 : 191,
    fits: looksRight,
    setSize: 100,
  });
});

describe('uuid', () => {
  it('keeps upper case and a missing dash from the input', () => {
    const fn = make('uuid');
    expect(fakeS(fn, '3F2504E0-4F89-11D3-9A0C-0305E82C3301')).toMatch(UUID_V4_UPPER);
    expect(fakeS(fn, '3f2504e0-4f89-11d3-9a0c-0305e82c3301')).toMatch(UUID_V4);
    expect(fakeS(fn, '3F2504E04F8911D39A0C0305E82C3301')).toMatch(/^[0-9A-F]{12}4[0-9A-F]{3}[89AB][0-9A-F]{15}$/);
    expect(fakeS(fn, '3f2504e04f8911d39a0c0305e82c3301')).toMatch(/^[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
    // Mixed case, digits only or not a UUID at all: lower case, with dashes.
    for (const input of ['3F2504e0-4f89-11d3-9a0c-0305e82c3301', '12345', 'order-17']) expect(fakeS(fn, input)).toMatch(UUID_V4);
  });

  it('maps equal inputs to equal fakes, so references between items and tables still match', () => {
    const id = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
    expect(fakeS(make('uuid'), id)).toBe(fakeS(make('uuid'), id));
    expect(make('uuid')({ SS: [id, 'x'] }, ['ids'])).toEqual({ SS: [fakeS(make('uuid'), id), expect.any(String)] });
  });
});

describe('ipv4', () => {
  it('keeps the first preserveSubnet bits of the input and draws the rest', () => {
    const inputs = distinctDraws((f) => f.internet.ipv4(), 200);
    for (const preserveSubnet of [1, 8, 12, 16, 20, 24, 30, 31]) {
      const fn = make('ipv4', { preserveSubnet });
      const shift = 32 - preserveSubnet;
      const hosts = new Set<number>();
      for (const input of inputs) {
        const output = fakeS(fn, input);
        expect(output).toMatch(IPV4);
        expect(toInt(output) !== toInt(input)).toBe(true);
        expect(Math.floor(toInt(output) / 2 ** shift)).toBe(Math.floor(toInt(input) / 2 ** shift));
        hosts.add(toInt(output) % 2 ** shift);
      }
      expect(hosts.size).toBeGreaterThan(Math.min(2 ** shift, 200) * 0.5);
    }
  });

  it('flips only the last bit with preserveSubnet 31', () => {
    expect(fakeS(make('ipv4', { preserveSubnet: 31 }), '10.0.0.4')).toBe('10.0.0.5');
    expect(make('ipv4', { preserveSubnet: 31 })({ SS: ['10.0.0.4', '10.0.0.5'] }, ['ips'])).toEqual({ SS: ['10.0.0.5', '10.0.0.4'] });
  });

  it('gives a value that is not a dotted-quad address a fully random one', () => {
    const fn = make('ipv4', { preserveSubnet: 24 });
    const outputs = ['256.1.1.1', '10.0.0', '10.0.0.1/24', '::1', 'localhost'].map((input) => fakeS(fn, input));
    for (const output of outputs) expect(output).toMatch(IPV4);
    expect(new Set(outputs.map((output) => output.split('.').slice(0, 3).join('.'))).size).toBe(outputs.length);
  });

  it('validates preserveSubnet', () => {
    expect(fakeS(make('ipv4', { preserveSubnet: 0 }), '10.0.0.1')).toBe(fakeS(make('ipv4'), '10.0.0.1'));
    for (const preserveSubnet of [-1, 32, 8.5, '24']) expect(() => make('ipv4', { preserveSubnet })).toThrow();
  });
});

describe('ipv6', () => {
  it('writes the full form, upper case when the input is', () => {
    const fn = make('ipv6');
    expect(fakeS(fn, '2001:db8::1')).toMatch(IPV6);
    expect(fakeS(fn, '2001:DB8::1')).toMatch(/^[0-9A-F]{4}(:[0-9A-F]{4}){7}$/);
    expect(fakeS(fn, '::1')).toMatch(IPV6);
  });
});

describe('url', () => {
  it('replaces the whole URL by default', () => {
    expect(fakeS(make('url'), 'https://shop.example.com/cart/42?u=ada')).toMatch(FAKE_URL);
    expect(fakeS(make('url', { preservePath: false }), 'https://shop.example.com/')).toBe(fakeS(make('url'), 'https://shop.example.com/'));
  });

  it('with preservePath, keeps the scheme and path, and drops user info, port, query and fragment', () => {
    const fn = make('url', { preservePath: true });
    const cases: [string, RegExp][] = [
      ['https://ada:secret@shop.example.com:8443/cart/42?u=ada#top', /^https:\/\/[a-z-]+\.[a-z]+\/cart\/42$/],
      ['http://example.org/a%20b/../c/', /^http:\/\/[a-z-]+\.[a-z]+\/a%20b\/\.\.\/c\/$/],
      ['HTTPS://EXAMPLE.ORG/Docs', /^HTTPS:\/\/[a-z-]+\.[a-z]+\/Docs$/],
      ['https://example.org', /^https:\/\/[a-z-]+\.[a-z]+$/],
      ['https://example.org?q=1', /^https:\/\/[a-z-]+\.[a-z]+$/],
      ['//cdn.example.org/lib.js', /^\/\/[a-z-]+\.[a-z]+\/lib\.js$/],
      ['www.example.org/about', /^[a-z-]+\.[a-z]+\/about$/],
      ['mailto:ada@example.org', /^[a-z-]+\.[a-z]+$/],
    ];
    for (const [input, expected] of cases) {
      const output = fakeS(fn, input);
      expect(output).toMatch(expected);
      for (const part of ['example.org', 'EXAMPLE.ORG', 'example.com', 'secret', '8443', '?', '#', '@']) expect(output).not.toContain(part);
    }
  });

  it('validates preservePath', () => {
    expect(() => make('url', { preservePath: 'yes' })).toThrow();
  });
});
