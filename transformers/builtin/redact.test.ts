import { faker } from '@faker-js/faker';
import { describe, expect, it } from 'vitest';
import { TransformTypeError } from '../errors.ts';
import { createRegistry } from '../registry.ts';
import { redact } from './redact.ts';

const registry = createRegistry([redact]);
const make = (options: Record<string, unknown> = {}, salt = 'salt-1') => registry.instantiate({ type: 'redact', options }, { salt });

describe('redact', () => {
  it('replaces any scalar with the text, as S', () => {
    expect(redact.accepts).toEqual(['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'BS']);
    expect(redact.produces).toBe('S');
    const fn = make();
    expect(fn({ S: 'Ada Lovelace' }, ['a'])).toEqual({ S: '[REDACTED]' });
    expect(fn({ N: '42' }, ['a'])).toEqual({ S: '[REDACTED]' });
    expect(fn({ B: new Uint8Array([1]) }, ['a'])).toEqual({ S: '[REDACTED]' });
    expect(fn({ BOOL: false }, ['a'])).toEqual({ S: '[REDACTED]' });
    expect(fn({ NULL: true }, ['a'])).toEqual({ S: '[REDACTED]' });
  });

  it('honours `text`', () => {
    expect(make({ text: 'xxx' })({ S: 'Ada' }, ['a'])).toEqual({ S: 'xxx' });
    expect(() => redact.options.parse({ text: '' })).toThrow();
    expect(() => redact.options.parse({ value: 'x' })).toThrow();
  });

  it('turns a set into a one-element SS, since a set cannot hold the text twice', () => {
    expect(make()({ SS: ['a', 'b', 'c'] }, ['a'])).toEqual({ SS: ['[REDACTED]'] });
    expect(make()({ NS: ['1', '2'] }, ['a'])).toEqual({ SS: ['[REDACTED]'] });
    expect(make()({ BS: [new Uint8Array([1])] }, ['a'])).toEqual({ SS: ['[REDACTED]'] });
  });

  it('throws a TransformTypeError for maps and lists', () => {
    expect(() => make()({ M: { a: { S: 'x' } } }, ['info'])).toThrow(TransformTypeError);
    expect(() => make()({ L: [{ S: 'x' }] }, ['info'])).toThrow('info: transformer "redact" accepts S, N, B, BOOL, NULL, SS, NS, BS; got L');
  });

  it('never returns realistic inputs unchanged, whatever the salt', () => {
    faker.seed(4);
    for (let i = 0; i < 200; i++) {
      const input = faker.lorem.sentence();
      expect(make({}, `salt-${i % 3}`)({ S: input }, ['a'])).toEqual({ S: '[REDACTED]' });
    }
  });

  it('keeps an empty S or B empty, as S', () => {
    expect(make()({ S: '' }, ['a'])).toEqual({ S: '' });
    expect(make()({ B: new Uint8Array() }, ['a'])).toEqual({ S: '' });
  });
});
