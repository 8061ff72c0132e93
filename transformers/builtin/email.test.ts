import { describe, expect, it } from 'vitest';
import { TransformTypeError } from '../plan.ts';
import { email } from './email.ts';
import { builtinRegistry } from './index.ts';

const make = (options: Record<string, unknown> = {}, salt = 'salt-1') => builtinRegistry.instantiate({ type: 'email', options }, { salt });
const EMAIL = /^[^@\s]+@[^@\s]+\.[a-z]+$/i;

describe('email', () => {
  it('accepts S and SS, and throws a TransformTypeError for other types', () => {
    expect(email.accepts).toEqual(['S', 'SS']);
    expect(email.produces).toBe('same');
    expect(() => make()({ N: '12' }, ['info', 'rating'])).toThrow(TransformTypeError);
    expect(() => make()({ N: '12' }, ['info', 'rating'])).toThrow('info.rating: transformer "email" accepts S, SS; got N');
  });

  it('replaces an address with a fake one, deterministically per salt', () => {
    const out = make()({ S: 'ada@example.org' }, ['Email']);
    expect(out).toEqual({ S: expect.stringMatching(EMAIL) });
    expect(out).not.toEqual({ S: 'ada@example.org' });
    expect(make()({ S: 'ada@example.org' }, ['Other'])).toEqual(out);
    expect(make({}, 'salt-2')({ S: 'ada@example.org' }, ['Email'])).not.toEqual(out);
    expect(make()({ S: 'alan@example.org' }, ['Email'])).not.toEqual(out);
  });

  it('keeps the domain with preserveDomain, and changes the local part', () => {
    const fn = make({ preserveDomain: true });
    for (const input of ['ada@example.org', 'a.b+tag@mail.Corp.example.co.uk', 'weird@name@host.test']) {
      const out = fn({ S: input }, ['Email']) as { S: string };
      const domain = input.slice(input.lastIndexOf('@') + 1);
      expect(out.S.endsWith(`@${domain}`)).toBe(true);
      expect(out.S).not.toBe(input);
    }
    // No domain to keep: a fake one.
    expect(fn({ S: 'not-an-email' }, ['Email'])).toEqual({ S: expect.stringMatching(EMAIL) });
  });

  it('treats preserveDomain: false as the default, and gives a different stream when true', () => {
    const input = { S: 'ada@example.org' };
    expect(make({ preserveDomain: false })(input, ['Email'])).toEqual(make()(input, ['Email']));
    expect(() => make({ preserveDomain: 'yes' })).toThrow();
    expect(() => make({ keepDomain: true })).toThrow();
  });

  it('replaces every element of a set, without duplicates', () => {
    const input = ['a@x.test', 'b@x.test', 'c@x.test', 'd@x.test'];
    const out = make({ preserveDomain: true })({ SS: input }, ['Emails']) as { SS: string[] };
    expect(out.SS).toHaveLength(4);
    expect(new Set(out.SS).size).toBe(4);
    out.SS.forEach((element, i) => {
      expect(element).not.toBe(input[i]);
      expect(element.endsWith('@x.test')).toBe(true);
    });
  });
});
