import { Faker, base, en } from '@faker-js/faker';
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../registry.ts';
import { describeFakeContract } from '../../test/support/transformer-contract.ts';
import { email } from './email.ts';

const registry = createRegistry([email]);
const make = (options: Record<string, unknown> = {}, salt = 'salt-1') => registry.instantiate({ type: 'email', options }, { salt });
const fakeS = (fn: ReturnType<typeof make>, input: string) => (fn({ S: input }, ['Email']) as { S: string }).S;
const EMAIL = /^[^@\s]+@[^@\s]+\.[a-z]+$/i;

/** Addresses as a table would hold them, from a fixed seed. */
const realistic = (count: number) => {
  const source = new Faker({ locale: [en, base], seed: 11 });
  return Array.from({ length: count }, (_, i) => (i % 4 === 0 ? source.internet.exampleEmail() : source.internet.email()));
};

describe('email', () => {
  describeFakeContract(email, {
    accepts: ['S', 'SS'],
    realisticInputs: () => realistic(300),
    options: [
      {},
      { preserveDomain: true },
      { preserveLength: true },
      { preserveDomain: true, preserveLength: true },
      { preserveLength: true, excludedDomains: ['corp.test'] },
    ],
    pattern: EMAIL,
    distinct: 1,
  });

  it('keeps the domain with preserveDomain, and changes the local part', () => {
    const fn = make({ preserveDomain: true });
    for (const input of ['ada@example.org', 'a.b+tag@mail.Corp.example.co.uk', 'weird@name@host.test']) {
      const out = fakeS(fn, input);
      const domain = input.slice(input.lastIndexOf('@') + 1);
      expect(out.endsWith(`@${domain}`)).toBe(true);
      expect(out).not.toBe(input);
    }
    // No domain to keep: a fake one.
    expect(fn({ S: 'not-an-email' }, ['Email'])).toEqual({ S: expect.stringMatching(EMAIL) });
  });

  it('treats the defaults as defaults, and rejects unknown or mistyped options', () => {
    const input = { S: 'ada@example.org' };
    expect(make({ preserveDomain: false, preserveLength: false, excludedDomains: [] })(input, ['Email'])).toEqual(make()(input, ['Email']));
    expect(() => make({ preserveDomain: 'yes' })).toThrow();
    expect(() => make({ preserveLength: 1 })).toThrow();
    expect(() => make({ excludedDomains: 'example.com' })).toThrow();
    expect(() => make({ excludedDomains: ['@example.com'] })).toThrow(/a domain, without/);
    expect(() => make({ keepDomain: true })).toThrow();
  });

  describe('preserveLength', () => {
    it('gives every realistic address a fake of its length, in the shape of an address', () => {
      for (const preserveDomain of [false, true]) {
        const fn = make({ preserveLength: true, preserveDomain });
        for (const input of [...realistic(200), 'verylongname.lastname+newsletter@mail.company.example.com']) {
          const out = fakeS(fn, input);
          expect(out).toHaveLength(input.length);
          expect(out).toMatch(EMAIL);
          expect(out).not.toMatch(/\.@|\.\./);
          if (preserveDomain) expect(out.slice(out.lastIndexOf('@'))).toBe(input.slice(input.lastIndexOf('@')));
        }
      }
    });

    it('makes up a shorter domain when the drawn one does not fit, down to 6 characters (a@b.co)', () => {
      const fn = make({ preserveLength: true });
      for (const input of ['a@b.co', 'jo@x.io', 'bob@ab.de', 'no-at-sign-at-all']) {
        const out = fakeS(fn, input);
        expect(out).toHaveLength(input.length);
        expect(out).toMatch(EMAIL);
      }
    });

    it('gives a fake of the usual length when the input cannot keep its length as an address', () => {
      // Shorter than "a@b.co"; and, keeping the domain, no local part.
      for (const input of ['x@y', 'abc', 'a@b.c']) expect(fakeS(make({ preserveLength: true }), input)).toMatch(EMAIL);
      const out = fakeS(make({ preserveLength: true, preserveDomain: true }), '@example.org');
      expect(out).toMatch(/^[^@]+@example\.org$/);
    });
  });

  describe('excludedDomains', () => {
    const fn = make({ excludedDomains: ['Example.com', 'corp.test'] });

    it('passes addresses of an excluded domain through unchanged, case-insensitively', () => {
      for (const input of ['qa-bot@example.com', 'Someone@EXAMPLE.COM', 'x@y@corp.test']) expect(fakeS(fn, input)).toBe(input);
      // Exact domains: subdomains and look-alikes are faked.
      for (const input of ['a@sub.example.com', 'a@example.com.evil', 'example.com']) expect(fakeS(fn, input)).not.toBe(input);
    });

    it('never draws a fake in an excluded domain', () => {
      const all = make({ excludedDomains: ['gmail.com', 'yahoo.com', 'hotmail.com'] });
      const inputs = realistic(200).filter((input) => !/@(gmail|yahoo|hotmail)\.com$/.test(input));
      expect(inputs.length).toBeGreaterThanOrEqual(50);
      for (const input of inputs) expect(fakeS(all, input)).not.toMatch(/@(gmail|yahoo|hotmail)\.com$/);
    });

    it('keeps the excluded elements of a set in place and fakes the others', () => {
      const input = ['b@x.test', 'qa@example.com', 'a@x.test', 'ops@corp.test'];
      const out = fn({ SS: input }, ['Emails']) as { SS: string[] };
      expect(out.SS[1]).toBe('qa@example.com');
      expect(out.SS[3]).toBe('ops@corp.test');
      expect(out.SS[0]).not.toBe('b@x.test');
      expect(out.SS[2]).not.toBe('a@x.test');
      expect(new Set(out.SS).size).toBe(4);
      expect(fn({ SS: ['qa@example.com', 'ops@corp.test'] }, ['Emails'])).toEqual({ SS: ['qa@example.com', 'ops@corp.test'] });
      // The fakes do not depend on which excluded elements sit beside them.
      expect(fn({ SS: ['a@x.test', 'b@x.test'] }, ['Emails'])).toEqual({ SS: [out.SS[2], out.SS[0]] });
    });
  });
});
