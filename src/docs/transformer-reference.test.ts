import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { renderTransformerMarkdown, updateReadme } from './transformer-reference.ts';

describe('transformer reference', () => {
  it('is current in the README (run `npm run docs` when this fails)', async () => {
    const readme = await readFile(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
    expect(readme).toBe(updateReadme(readme, builtinRegistry.definitions));
  });

  it('lists every built-in with its types and options', () => {
    const markdown = renderTransformerMarkdown(builtinRegistry.definitions);
    for (const { name } of builtinRegistry.definitions) expect(markdown).toContain(`| \`${name}\` |`);
    expect(markdown).toContain('| `email` | S, SS → same type |');
    expect(markdown).toContain('`preserveDomain` (boolean, default `false`)');
    expect(markdown).toContain('`value` (string \\| number \\| boolean \\| null, required)');
  });
});
