import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RECOGNIZERS } from '../discovery/recognizers.ts';
import { renderRecognizerMarkdown, updateRecognizerReference } from './recognizer-reference.ts';

describe('recognizer reference', () => {
  it('is current in the README (run `npm run docs` when this fails)', async () => {
    const readme = await readFile(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
    expect(readme).toBe(updateRecognizerReference(readme));
  });

  it('lists every recognizer with how it is found and what it suggests', () => {
    const markdown = renderRecognizerMarkdown();
    for (const { name } of RECOGNIZERS) expect(markdown).toContain(`| \`${name}\` |`);
    expect(markdown).toMatch(/^\| `email` \| email addresses \| value or name \| `email` \|$/m);
    expect(markdown).toMatch(/^\| `nationalId` \| .* \| name only \| /m);
  });
});
