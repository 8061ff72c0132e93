import { describe, expect, it } from 'vitest';
import { z } from 'zod';
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
