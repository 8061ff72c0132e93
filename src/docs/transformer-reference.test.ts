import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { renderTransformerMarkdown, renderTransformerText, transformerListing, updateReadme } from './transformer-reference.ts';

describe('transformer reference', () => {
  it('is current in the README (run `npm run docs` when this fails)', async () => {
    const readme = await readFile(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
    expect(readme).toBe(updateReadme(readme, builtinRegistry.definitions));
  });

  it('lists every built-in with its types and options', () => {
    const markdown = renderTransformerMarkdown(builtinRegistry.definitions);
    for (const { name } of builtinRegistry.definitions) expect(markdown).toContain(`| \`${name}\` |`);
    expect(markdown).toContain('| `email` | S, SS → same type | not guaranteed |');
    expect(markdown).toContain('| `permuteId` | S, SS, N, NS → same type | preserved |');
    expect(markdown).toContain('`preserveDomain` (boolean, default `false`)');
    expect(markdown).toContain('`value` (string \\| number \\| boolean \\| null, required)');
  });

  it('says in every description whether the output depends on the salt, as the definition does', () => {
    for (const { name, description, dependsOnSalt = true } of builtinRegistry.definitions) {
      expect(/\bsalt\b/.test(description), `${name}: dependsOnSalt is ${dependsOnSalt}`).toBe(dependsOnSalt);
    }
  });

  it('says for every built-in whether distinct inputs stay distinct, in the listing, the text and the JSON', () => {
    const text = renderTransformerText(builtinRegistry.definitions);
    expect(text).toContain('hash  (S, SS, B, BS → S)\n');
    expect(text).toContain('    uniqueness: preserved at 128 bits or more (full length, or a `length` of at least 32 hex or 22 base64 characters); not guaranteed below\n');
    expect(text).toContain('mask  (S, SS → same type; the same under every salt)\n    Replaces');
    const listing = transformerListing(builtinRegistry.definitions);
    expect(listing.find((entry) => entry.name === 'permuteId')).toMatchObject({ uniqueness: 'preserved' });
    expect(listing.find((entry) => entry.name === 'zipCode')).toMatchObject({ uniqueness: 'not guaranteed', uniquenessDependsOnOptions: 'not guaranteed; lossy with `format`' });
    expect(listing.find((entry) => entry.name === 'mask')).toMatchObject({ uniqueness: 'lossy' });
    expect(listing.every((entry) => ['preserved', 'not guaranteed', 'lossy'].includes(entry.uniqueness))).toBe(true);
  });

  it('marks in the CLI listing the transformers whose output anyone can recompute', () => {
    const text = renderTransformerText(builtinRegistry.definitions);
    expect(text).toContain('mask  (S, SS → same type; the same under every salt)\n');
    expect(text).toContain('fullName  (S, SS → same type)\n');
    const listing = transformerListing(builtinRegistry.definitions);
    expect(listing.find((entry) => entry.name === 'redact')).toMatchObject({ dependsOnSalt: false, produces: 'S' });
    expect(listing.find((entry) => entry.name === 'hash')).toMatchObject({ dependsOnSalt: true });
  });
});
