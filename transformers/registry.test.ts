import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { builtinRegistry } from './builtin/index.ts';
import { defineTransformer, type TransformerContext } from './definition.ts';
import { createRegistry } from './registry.ts';
import { transformerScope } from './seed-scope.ts';

/** Records the context `make` gets. */
function spy(name: string) {
  const seen: TransformerContext[] = [];
  const definition = defineTransformer({
    name,
    description: 'test',
    accepts: ['S', 'N'],
    produces: 'same',
    options: z.strictObject({ level: z.int().default(3), tag: z.string().optional() }),
    make(_options, context) {
      seen.push(context);
      return (value) => value;
    },
  });
  return { definition, seen };
}

describe('createRegistry', () => {
  it('refuses two definitions of one name', () => {
    const { definition } = spy('twin');
    expect(() => createRegistry([definition, spy('twin').definition])).toThrow('duplicate transformer name "twin"');
  });

  it('builds the context of make from the definition: its name, its types and a seed scope of its name and parsed options', () => {
    const { definition, seen } = spy('probe');
    const registry = createRegistry([definition]);
    registry.instantiate({ type: 'probe', options: { tag: 'a' } }, { salt: 'job-salt' });
    expect(seen).toEqual([{ salt: 'job-salt', name: 'probe', accepts: ['S', 'N'], seedScope: transformerScope('probe', { level: 3, tag: 'a' }) }]);
    // Defaults are part of the scope, so leaving out an option and giving its default draw alike.
    registry.instantiate({ type: 'probe', options: { level: 3, tag: 'a' } }, { salt: 'job-salt' });
    expect(seen[1]!.seedScope).toBe(seen[0]!.seedScope);
  });

  it('keeps the seed scope of a built-in as it was, so its outputs do not change', () => {
    const { definition, seen } = spy('email');
    createRegistry([definition]).instantiate({ type: 'email', options: {} }, { salt: 's' });
    expect(seen[0]!.seedScope).toBe('["email",{"level":3}]');
  });
});

describe('validateOptions', () => {
  it('returns the options with their defaults filled in', () => {
    expect(builtinRegistry.validateOptions('email', { preserveDomain: true })).toEqual({
      ok: true,
      options: { preserveDomain: true, preserveLength: false, excludedDomains: [] },
    });
  });

  it('names an unknown transformer, with the closest name when one is close', () => {
    expect(builtinRegistry.validateOptions('emial', {})).toEqual({ ok: false, issues: [{ path: [], message: 'unknown transformer "emial" (did you mean "email"?)' }] });
    expect(builtinRegistry.validateOptions('shuffle', {})).toEqual({ ok: false, issues: [{ path: [], message: 'unknown transformer "shuffle"' }] });
  });

  it('names unknown options at their key, as the job loader does', () => {
    expect(builtinRegistry.validateOptions('email', { preserveDomian: true })).toEqual({
      ok: false,
      issues: [{ path: ['preserveDomian'], at: 'key', message: 'unknown option "preserveDomian" for transformer "email" (did you mean "preserveDomain"?)' }],
    });
    expect(builtinRegistry.validateOptions('fullName', { locale: 'de' })).toEqual({
      ok: false,
      issues: [{ path: ['locale'], at: 'key', message: 'unknown option "locale" for transformer "fullName", which takes no options' }],
    });
    expect(builtinRegistry.validateOptions('mask', { keepLsat: 2 }, ' of dynamask.mask')).toMatchObject({
      issues: [{ message: 'unknown option "keepLsat" of dynamask.mask (did you mean "keepLast"?)' }],
    });
  });

  it('gives bad values with paths relative to the options, and never the value', () => {
    expect(builtinRegistry.validateOptions('email', { excludedDomains: ['ok.com', 'SECRET@x'] })).toEqual({
      ok: false,
      issues: [{ path: ['excludedDomains', 1], message: 'a domain, without "@" or spaces' }],
    });
    expect(builtinRegistry.validateOptions('mask', { keepLast: 'four' })).toEqual({ ok: false, issues: [{ path: ['keepLast'], message: 'expected a number, got a string' }] });
  });
});

describe('instantiate', () => {
  it('throws what validateOptions finds, on one line', () => {
    expect(() => builtinRegistry.instantiate({ type: 'emial', options: {} }, { salt: 's' })).toThrow(/^unknown transformer "emial" \(did you mean "email"\?\)$/);
    expect(() => builtinRegistry.instantiate({ type: 'mask', options: { keepLast: 'four', keepFrist: 1 } }, { salt: 's' })).toThrow(
      /^transformer "mask": option keepLast: expected a number, got a string; unknown option "keepFrist" for transformer "mask" \(did you mean "keepFirst"\?\)$/,
    );
    // A problem of the options as a whole has no option to name.
    expect(() => builtinRegistry.instantiate({ type: 'randomInt', options: {} }, { salt: 's' })).toThrow(
      /^transformer "randomInt": give `min` and `max` \(an absolute range\) or `percent` \(a range around the input\)$/,
    );
  });
});
